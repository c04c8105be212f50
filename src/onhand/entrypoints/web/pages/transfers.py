"""Transfers between sites (services/transfers/): create, ship, receive — short if less
arrived, then write the rest off or close — and what is in transit, where it goes and when
it is expected. Every rule is the transfer services'; their refusals are shown as they are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.calendar import parse_date
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import NotFound, OnhandError
from onhand.domain.transfers.commands import (
    CreateTransfer,
    ReceiveTransfer,
    ShipTransfer,
    TransferMoveLine,
    WriteOffTransit,
    parse_transfer_line,
    parse_transfer_move_line,
)
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import PageRefused, Visitor, VisitorDep
from onhand.services.transfers.views import TransferView

router = APIRouter(include_in_schema=False)
SITES = frozenset({LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL})
UNDER_WAY = ("in_transit", "partially_received")
OPEN = ("draft", *UNDER_WAY)
NEW_LINES = 5
MAX_LINES = 200
Column = Annotated[list[str] | None, Form(max_length=MAX_LINES)]


def _places(visitor: Visitor) -> list[Location]:
    return services.locations.list_locations(visitor.onhand)


def _transfer(visitor: Visitor, reference: str) -> TransferView:
    try:
        return services.transfer_orders.get_transfer(visitor.onhand, reference)
    except NotFound:
        raise PageRefused(404, f"No transfer {reference}.") from None


def _list_page(request: Request, visitor: Visitor, *, error: str | None = None, form: dict[str, object] | None = None,
               status_code: int = 200) -> Response:
    places = _places(visitor)
    transfers = [transfer for status in OPEN
                 for transfer in services.transfer_orders.list_transfers(visitor.onhand, status=status)]
    return render(request, "transfers.html", {
        "visitor": visitor, "may_move": visitor.may(Permission.STOCK), "transfers": transfers,
        "under_way": UNDER_WAY, "error": error, "form": form or {},
        "sites": [place.code for place in places if place.kind in SITES],
        "transits": [place.code for place in places if place.kind is LocationKind.TRANSIT],
        "new_lines": range(NEW_LINES),
    }, status_code)


@router.get("/transfers")
def transfers(request: Request, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    return _list_page(request, visitor)


@router.post("/transfers")
def create(
    request: Request, visitor: VisitorDep,
    source: Annotated[str, Form(max_length=64)] = "", destination: Annotated[str, Form(max_length=64)] = "",
    transit: Annotated[str, Form(max_length=64)] = "", expected_date: Annotated[str, Form(max_length=10)] = "",
    carrier: Annotated[str, Form(max_length=64)] = "", tracking_number: Annotated[str, Form(max_length=100)] = "",
    sku: Column = None, quantity: Column = None,
) -> Response:
    visitor.require(Permission.STOCK)
    visitor.require_location(source.strip())
    skus, quantities = sku or [], quantity or []
    if len(skus) != len(quantities):
        raise PageRefused(422, "The transfer form is incomplete: reload the page.")
    given = [(s.strip(), q.strip()) for s, q in zip(skus, quantities, strict=True) if s.strip()]
    try:
        lines = [parse_transfer_line(f"lines[{index}]", sku=s, quantity=q) for index, (s, q) in enumerate(given)]
        made = services.transfer_orders.create_transfer(visitor.onhand, CreateTransfer(
            source=source.strip(), destination=destination.strip(), lines=tuple(lines),
            transit=transit.strip() or None, expected_date=parse_date(expected_date.strip() or None, "expected_date"),
            carrier=carrier.strip() or None, tracking_number=tracking_number.strip() or None,
        ))
    except OnhandError as refused:
        form: dict[str, object] = {"source": source, "destination": destination, "carrier": carrier,
                                   "tracking_number": tracking_number}
        return _list_page(request, visitor, error=refused.message, form=form, status_code=422)
    return RedirectResponse(f"/transfers/{made.reference}", status_code=303)


def _page(request: Request, visitor: Visitor, transfer: TransferView, *, done: str | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    places = _places(visitor)
    by_code = {place.code: place for place in places}

    def bins_of(site: str) -> list[str]:
        return [place.code for place in places if place.kind is LocationKind.BIN and place.is_within(by_code[site])]

    return render(request, "transfer.html", {
        "visitor": visitor, "may_move": visitor.may(Permission.STOCK), "transfer": transfer,
        "done": done, "error": error,
        "source_bins": bins_of(transfer.source), "destination_bins": bins_of(transfer.destination),
        "shippable": transfer.status in ("draft", *UNDER_WAY) and any(line.to_ship for line in transfer.lines),
        "under_way": transfer.status in UNDER_WAY and any(line.in_transit for line in transfer.lines),
    }, status_code)


@router.get("/transfers/{reference}")
def transfer_page(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    return _page(request, visitor, _transfer(visitor, reference[:64]))


def _lines(line_no: list[str] | None, lot: list[str] | None, quantity: list[str] | None) -> list[tuple[int, str, str]]:
    columns = [line_no or [], lot or [], quantity or []]
    if len({len(column) for column in columns}) != 1 or not all(n.isdigit() and len(n) < 10 for n in columns[0]):
        raise PageRefused(422, "The form is incomplete: reload the page.")
    return [(int(n), lt, q.strip()) for n, lt, q in zip(*columns, strict=True) if q.strip() not in ("", "0")]


def _act(request: Request, visitor: Visitor, reference: str, site: str, action: str,
         run: Callable[[], TransferView]) -> Response:
    visitor.require(Permission.STOCK)
    visitor.require_location(site)
    try:
        done = run()
    except OnhandError as refused:
        return _page(request, visitor, _transfer(visitor, reference), error=refused.message, status_code=422)
    return _page(request, visitor, done, done=f"{action}: the transfer is {done.status.replace('_', ' ')}.")


@router.post("/transfers/{reference}/ship")
def ship(request: Request, reference: str, visitor: VisitorDep,
         location: Annotated[str, Form(max_length=64)] = "") -> Response:
    visitor.require(Permission.STOCK)
    transfer = _transfer(visitor, reference[:64])
    # Everything left to ship; from one bin of the source if one is chosen.
    lines = tuple(TransferMoveLine(line.line_no, line.to_ship, line.lot, location=location.strip())
                  for line in transfer.lines if line.to_ship > 0) if location.strip() else None
    return _act(request, visitor, transfer.reference, transfer.source, "Shipped",
                lambda: services.transit.ship_transfer(visitor.onhand, ShipTransfer(transfer.reference, lines)))


@router.post("/transfers/{reference}/receive")
def receive(request: Request, reference: str, visitor: VisitorDep,
            line_no: Column = None, lot: Column = None, quantity: Column = None,
            location: Annotated[str, Form(max_length=64)] = "") -> Response:
    visitor.require(Permission.STOCK)
    transfer = _transfer(visitor, reference[:64])
    lines = _lines(line_no, lot, quantity)
    if not lines:
        return _page(request, visitor, transfer, error="quantity: give what arrived on at least one line",
                     status_code=422)
    return _act(request, visitor, transfer.reference, transfer.destination, "Received",
                lambda: services.transit.receive_transfer(visitor.onhand, ReceiveTransfer(
                    transfer.reference, tuple(
                        parse_transfer_move_line(f"lines[{index}]", line_no=n, quantity=q, lot=lt or None)
                        for index, (n, lt, q) in enumerate(lines)), location.strip() or None)))


@router.post("/transfers/{reference}/write-off")
def write_off(request: Request, reference: str, visitor: VisitorDep) -> Response:
    visitor.require(Permission.STOCK)
    transfer = _transfer(visitor, reference[:64])
    return _act(request, visitor, transfer.reference, transfer.destination, "Written off as lost in transit",
                lambda: services.transit.write_off_transit(visitor.onhand, WriteOffTransit(transfer.reference)))
