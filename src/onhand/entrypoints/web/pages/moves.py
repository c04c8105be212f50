"""Moving stock between places on the floor (put-away, filling a pick face): From, Item,
Quantity, To, each scannable, posted as one relocation (services/ledger/relocations.py).

Every rule — not enough free stock there, a lot that may not move, an unknown bin — is
the service's; its refusal comes back at once. The moves of this session travel with the
form (hidden fields, shown only), so the page keeps no state of its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.catalog.locations import site_of
from onhand.domain.errors import InvalidInput, OnhandError
from onhand.domain.ledger.commands import MoveStock, StockLine
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.web.rendering import is_htmx, quantity_text, render
from onhand.entrypoints.web.scans import is_barcode, sku_and_lot
from onhand.entrypoints.web.sessions import Visitor, VisitorDep

router = APIRouter(include_in_schema=False)
MAX_SHOWN = 10  # moves of this session listed under the form
# The service's messages name its fields; the page says them as its labels.
LABELS = (("lines[0].sku", "Item"), ("lines[0].lot", "Lot"), ("lines[0].quantity", "Quantity"),
          ("barcode", "Item"), ("item", "Item"), ("quantity", "Quantity"), ("source", "From"), ("destination", "To"))


def _require_places(visitor: Visitor, *codes: str) -> None:
    """A user limited to some sites moves only within them; an unknown code is the service's to refuse."""
    places = services.locations.list_locations(visitor.onhand)
    by_id = {place.id: place for place in places}
    by_code = {place.code: place for place in places}
    for code in codes:
        if code in by_code:
            visitor.require_location(site_of(by_code[code], by_id).code)


def _said(refused: OnhandError) -> str:
    for field, label in LABELS:
        if refused.message.startswith(f"{field}: "):
            return label + refused.message[len(field):]
    return refused.message


def _line(visitor: Visitor, scan: str, quantity: str) -> StockLine:
    """What the item field says: a GS1 string or GTIN (item, lot, count), or typed `SKU` / `SKU/LOT`."""
    text = scan.strip()
    if is_barcode(text):
        seen = services.scanning.scan(visitor.onhand, text)
        if seen.sku is None:
            raise InvalidInput("item", "the code carries no GTIN, so it names no item")
        sku, lot, count = seen.sku, seen.lot or seen.serial, seen.count
    else:
        typed, lot = sku_and_lot(text)
        if typed is None:
            raise InvalidInput("item", "scan the item (or type SKU or SKU/LOT)")
        sku, count = typed, None
    amount = parse_decimal(quantity.strip(), "quantity") if quantity.strip() else count or Decimal(1)
    return StockLine(sku=sku, quantity=amount, lot=lot)


def _page(request: Request, visitor: Visitor, moved: list[str], *, source: str = "",
          fields: dict[str, str] | None = None, done: str | None = None, error: str | None = None,
          status_code: int = 200) -> Response:
    template = "moves_form.html" if is_htmx(request) else "moves.html"
    return render(request, template, {
        "visitor": visitor, "moved": moved[:MAX_SHOWN], "source": source, "fields": fields or {},
        "done": done, "error": error,
    }, status_code)


@router.get("/moves")
def moves_page(request: Request, visitor: VisitorDep, source: str = "") -> Response:
    visitor.require(Permission.READ)
    return _page(request, visitor, [], source=source.strip()[:64])


@router.post("/moves")
def move(
    request: Request, visitor: VisitorDep,
    source: Annotated[str, Form(max_length=64)] = "",
    item: Annotated[str, Form(max_length=500)] = "",
    quantity: Annotated[str, Form(max_length=40)] = "",
    destination: Annotated[str, Form(max_length=64)] = "",
    moved: Annotated[list[str] | None, Form(max_length=MAX_SHOWN)] = None,
) -> Response:
    visitor.require(Permission.STOCK)
    source, destination = source.strip(), destination.strip()
    _require_places(visitor, source, destination)
    shown = [text[:300] for text in (moved or [])][:MAX_SHOWN]
    fields = {"item": item, "quantity": quantity, "destination": destination}
    try:
        for name, value in (("From", source), ("Item", item.strip()), ("To", destination)):
            if not value:
                raise InvalidInput(name, "is empty: scan it or type its code")
        line = _line(visitor, item, quantity)
        posting = services.relocations.move_stock(visitor.onhand, MoveStock(source, destination, (line,)))
    except OnhandError as refused:
        return _page(request, visitor, shown, source=source, fields=fields, error=_said(refused), status_code=422)
    [first] = posting.moves[:1]
    lot = f" lot {first.lot}" if first.lot else ""
    summary = (f"{quantity_text(first.quantity)} × {first.sku}{lot} from {first.from_location} to {first.to_location}"
               f" (posting {posting.id})")
    return _page(request, visitor, [summary, *shown], source=source, done=f"Moved {summary}.")
