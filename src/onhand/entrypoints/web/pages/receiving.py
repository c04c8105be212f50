"""Receiving against a purchase order by scanning (services/purchasing/scan_receiving.py).

The scan form posts with htmx and gets back only the result (what was received, or the
specific refusal) and the order's lines; without JavaScript it posts as a plain form and
gets the whole page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import NotFound, OnhandError
from onhand.entrypoints.web.rendering import is_htmx, render
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep
from onhand.services.purchasing.scan_receiving import receive_scan

router = APIRouter(include_in_schema=False)
RECEIVABLE = ("ordered", "partially_received")


@router.get("/receiving")
def purchase_orders(request: Request, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    orders = [order for status in RECEIVABLE
              for order in services.purchase_orders.list_purchase_orders(visitor.onhand, status=status)]
    return render(request, "receiving_list.html", {"visitor": visitor, "orders": orders})


def _order_page(request: Request, visitor: Visitor, reference: str, *, result: object = None,
                error: str | None = None, status_code: int = 200) -> Response:
    try:
        order = services.purchase_orders.get_purchase_order(visitor.onhand, reference)
    except NotFound:
        raise PageRefused(404, f"No purchase order {reference}.") from None
    places = services.locations.list_locations(visitor.onhand)
    site = next(place for place in places if place.code == order.destination)
    by_id = {place.id: place for place in places}

    def inside(place: object) -> bool:
        parent = getattr(place, "parent_id", None)
        while parent is not None:
            if parent == site.id:
                return True
            parent = by_id[parent].parent_id
        return False

    bins = [place.code for place in places if place.kind is LocationKind.BIN and inside(place)]
    template = "receiving_result.html" if is_htmx(request) else "receiving.html"
    return render(request, template, {"visitor": visitor, "order": order, "bins": bins, "result": result,
                                      "error": error}, status_code)


@router.get("/receiving/{reference}")
def purchase_order(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    return _order_page(request, visitor, reference[:64])


@router.post("/receiving/{reference}")
def scan(
    request: Request, reference: str, visitor: VisitorDep,
    barcode: Annotated[str, Form(max_length=500)] = "",
    quantity: Annotated[str, Form(max_length=40)] = "",
    location: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    visitor.require(Permission.RECEIVING)
    reference = reference[:64]
    try:
        destination = services.purchase_orders.get_purchase_order(visitor.onhand, reference).destination
    except NotFound:
        raise PageRefused(404, f"No purchase order {reference}.") from None
    visitor.require_location(destination)
    try:
        receipt = receive_scan(visitor.onhand, reference, barcode=barcode, quantity=quantity.strip() or None,
                               location=location.strip() or None)
    except OnhandError as refused:
        return _order_page(request, visitor, reference, error=refused.message, status_code=422)
    return _order_page(request, visitor, reference, result=receipt)
