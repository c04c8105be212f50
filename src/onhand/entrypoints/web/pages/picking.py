"""Picking and packing: an order's pick list in walking order, picks confirmed by scanning,
packages with carrier and tracking number, and the shipment (services/orders/picking.py,
shipping.py).

A scan is a GS1 element string or GTIN (item, lot, count), or typed text `SKU` or
`SKU/LOT`; Enter ends it. Every rule — the wrong item, a lot that may not leave, an
over-pick — is the service's, and its refusal is shown at once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.catalog.locations import site_of
from onhand.domain.errors import NotFound, OnhandError
from onhand.domain.orders.commands import (
    ConfirmPick,
    PackOrder,
    PickConfirmation,
    ShipOrder,
    parse_package,
    parse_pick,
)
from onhand.domain.orders.sales_orders import ACTIVE
from onhand.domain.orders.views import SalesOrderView
from onhand.entrypoints.web.rendering import is_htmx, render
from onhand.entrypoints.web.scans import is_barcode, sku_and_lot
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep
from onhand.services.orders.picking import PickList

router = APIRouter(include_in_schema=False)
PICKABLE = ("allocated", "backordered", "partially_shipped")
MAX_LINES = 200


def _order(visitor: Visitor, reference: str) -> SalesOrderView:
    try:
        return services.sales_orders.get_order(visitor.onhand, reference)
    except NotFound:
        raise PageRefused(404, f"No sales order {reference}.") from None


def _unpacked(order: SalesOrderView) -> list[tuple[int, str, Decimal]]:
    """(line, SKU, picked but in no package yet) for the form's defaults; the service checks."""
    packed: dict[int, Decimal] = {}
    for package in order.packages:
        for line_no, quantity in package.contents:
            packed[line_no] = packed.get(line_no, Decimal(0)) + quantity
    return [(line.line_no, line.sku, line.picked - line.shipped - packed.get(line.line_no, Decimal(0)))
            for line in order.lines if line.kit_line_no is None
            and line.picked - line.shipped - packed.get(line.line_no, Decimal(0)) > 0]


def _require_order_sites(visitor: Visitor, order: SalesOrderView) -> None:
    """Packing and shipping act where the order's stock is reserved: all of it must be the user's."""
    places = services.locations.list_locations(visitor.onhand)
    by_id = {place.id: place for place in places}
    by_code = {place.code: place for place in places}
    for code in sorted({r.location for line in order.lines for r in line.reservations}):
        visitor.require_location(site_of(by_code[code], by_id).code)


def _sites(picks: PickList) -> dict[str, str]:
    """Pick location -> its site, for the location limits of users."""
    return {line.location: site.site for site in picks.sites for line in site.lines}


@router.get("/picking")
def orders_to_pick(request: Request, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    orders = [order for status in PICKABLE
              for order in services.sales_orders.list_orders(visitor.onhand, status=status)]
    return render(request, "picking_list.html", {"visitor": visitor, "orders": orders})


def _order_page(request: Request, visitor: Visitor, reference: str, *, done: str | None = None,
                error: str | None = None, status_code: int = 200) -> Response:
    order = _order(visitor, reference)
    picks = services.picking.pick_list(visitor.onhand, order.reference)
    upcoming = next((line for site in picks.sites for line in site.lines), None)
    template = "picking_result.html" if is_htmx(request) else "picking.html"
    return render(request, template, {
        "visitor": visitor, "order": order, "picks": picks, "upcoming": upcoming, "unpacked": _unpacked(order),
        "active": order.status in {status.value for status in ACTIVE}, "done": done, "error": error,
    }, status_code)


@router.get("/picking/{reference}")
def order_page(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    return _order_page(request, visitor, reference[:64])


def _confirmation(scan: str, location: str, quantity: str | None) -> PickConfirmation:
    """What a scan says: a GS1 string or GTIN goes to the service whole; `SKU/LOT` is split."""
    text = scan.strip()
    if is_barcode(text):
        return parse_pick("picks[0]", location=location, quantity=quantity, barcode=text)
    sku, lot = sku_and_lot(text)
    return parse_pick("picks[0]", sku=sku, location=location, quantity=quantity or "1", lot=lot)


def _refusal(request: Request, visitor: Visitor, reference: str, refused: OnhandError) -> Response:
    return _order_page(request, visitor, reference, error=refused.message, status_code=422)


@router.post("/picking/{reference}/pick")
def pick(
    request: Request, reference: str, visitor: VisitorDep,
    scan: Annotated[str, Form(max_length=500)] = "",
    quantity: Annotated[str, Form(max_length=40)] = "",
    location: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    visitor.require(Permission.ORDERS)
    reference = reference[:64]
    order = _order(visitor, reference)
    site = _sites(services.picking.pick_list(visitor.onhand, order.reference)).get(location.strip())
    if site is not None:
        visitor.require_location(site)
    if not scan.strip():
        return _order_page(request, visitor, reference, error="Scan: scan the item (or type SKU or SKU/LOT).",
                           status_code=422)
    try:
        done = services.picking.confirm_pick(visitor.onhand, ConfirmPick(reference, (
            _confirmation(scan, location.strip(), quantity.strip() or None),)))
    except OnhandError as refused:
        return _refusal(request, visitor, reference, refused)
    return _order_page(request, visitor, done.reference, done="Picked.")


def _contents(form_lines: list[str], form_quantities: list[str]) -> list[tuple[int, str]]:
    if len(form_lines) != len(form_quantities) or len(form_lines) > MAX_LINES:
        raise PageRefused(422, "The packing form is incomplete: reload the page.")
    contents = []
    for line, quantity in zip(form_lines, form_quantities, strict=True):
        if not line.isdigit() or len(line) > 9:
            raise PageRefused(422, "The packing form is incomplete: reload the page.")
        if quantity.strip() not in ("", "0"):
            contents.append((int(line), quantity.strip()))
    return contents


@router.post("/picking/{reference}/pack")
def pack(
    request: Request, reference: str, visitor: VisitorDep,
    line: Annotated[list[str] | None, Form(max_length=MAX_LINES)] = None,
    quantity: Annotated[list[str] | None, Form(max_length=MAX_LINES)] = None,
    carrier: Annotated[str, Form(max_length=64)] = "",
    tracking_number: Annotated[str, Form(max_length=100)] = "",
    weight_kg: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    visitor.require(Permission.ORDERS)
    reference = reference[:64]
    _require_order_sites(visitor, _order(visitor, reference))
    contents = _contents(line or [], quantity or [])
    try:
        spec = parse_package("packages[0]", contents=tuple(contents), carrier=carrier.strip() or None,
                             tracking_number=tracking_number.strip() or None, weight_kg=weight_kg.strip() or None)
        services.shipping.pack_order(visitor.onhand, PackOrder(reference, (spec,)))
    except OnhandError as refused:
        return _refusal(request, visitor, reference, refused)
    return _order_page(request, visitor, reference, done="Packed.")


@router.post("/picking/{reference}/ship")
def ship(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.ORDERS)
    reference = reference[:64]
    _require_order_sites(visitor, _order(visitor, reference))
    try:
        shipped = services.shipping.ship_order(visitor.onhand, ShipOrder(reference))
    except OnhandError as refused:
        return _refusal(request, visitor, reference, refused)
    return _order_page(request, visitor, reference, done=f"Shipped: the order is {shipped.status.replace('_', ' ')}.")
