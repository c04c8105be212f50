"""Returns to supplier: units of a received purchase order line sent back.

One return is one posting of `internal location → SUPPLIER` moves (kind
`supplier_return`), taken from the places and lots the line was received at and only
from free stock (a unit promised to a sales order is not sent back). Each return line
keeps its order line, so what is left to return of a line is received − returned; the
order's received quantity stays what arrived. Each move names the order's receipt moves
of its item (and lot), so it relieves their own cost layers first — specific
identification of the returned lot — unless the item's method blends them (moving
average: at the average); then the method's order (role `supplier_return`: the journal
debits Goods received not invoiced and credits Inventory).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.catalog.lots import LOT_CODE_PATTERN
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.purchasing.commands import ReturnToSupplier, SupplierReturnLine
from onhand.domain.purchasing.purchase_orders import split_return, validate_reference
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import post
from onhand.services.limits import check_line_count
from onhand.services.purchasing.purchase_orders import locked_order, order_row
from onhand.services.purchasing.views import SupplierReturnLineView, SupplierReturnView, supplier_return_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
# (location id, lot id or None): where a line's units were received.
Place = tuple[int, int | None]


def return_to_supplier(
    ctx: ServiceContext, command: ReturnToSupplier, *, idempotency_key: str | None = None
) -> SupplierReturnView:
    """Send received units of purchase order `reference` back to its supplier, all lines or none."""
    reference, lines, authorisation, note, return_reference = (
        command.reference, command.lines, command.authorisation, command.note, command.return_reference,
    )
    check_line_count(ctx.limits, lines, "lines")
    if not lines:
        raise InvalidInput("lines", "a return to supplier needs at least one line")
    rma = resolve.text(authorisation, "authorisation", max_length=100)
    clean_note = resolve.text(note, "note", max_length=2000)
    own_reference = validate_reference(return_reference, "return_reference") if return_reference else None

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        order_lines = {int(ln.line_no): ln for ln in uow.purchase_orders.lines(order.id)}
        received = uow.supplier_returns.received_at(order.id)
        returned = uow.supplier_returns.returned_at(order.id)
        left = {key: quantity - returned[key] for key, quantity in received.items()}
        supplier = uow.locations.virtual(LocationKind.SUPPLIER)
        by_id = {loc.id: loc for loc in uow.locations.all()}
        moves: list[MoveLine] = []
        rows: list[dict[str, Any]] = []
        used: dict[tuple[int, int, int | None], Decimal] = defaultdict(Decimal)  # taken by earlier lines
        receipts = uow.valuation_history.receipt_moves(order.id)  # whose layers the returns relieve
        for index, given in enumerate(lines):
            field = f"lines[{index}]"
            order_line = order_lines.get(given.line_no)
            if order_line is None:
                raise InvalidInput(f"{field}.line_no", f"{order.reference} has no line {given.line_no}")
            item = uow.items.get(order_line.item_id)
            assert item is not None  # an order line's item exists
            quantity = positive_quantity(given.quantity, item.unit, f"{field}.quantity")
            line_id = int(order_line.id)
            places = [((loc, lot), qty) for (ln, loc, lot), qty in left.items() if ln == line_id]
            line_left = sum((qty for _key, qty in places), ZERO)
            if quantity > line_left:
                got = sum((q for (ln, _l, _t), q in received.items() if ln == line_id), ZERO)
                raise InvalidInput(
                    f"{field}.quantity",
                    f"only {line_left} of line {given.line_no} ({item.sku}) is left to return "
                    f"(received {got}, returned {got - line_left}), not {quantity}",
                )
            places = _where(uow, given, field, item.id, places, order.reference)
            # Free stock first: a place whose units were moved on or promised is taken last.
            free = _free(uow, item.id, places)
            capped = [(key, min(qty, max(free.get(key, ZERO) - used[(item.id, *key)], ZERO))) for key, qty in places]
            taken = split_return(capped, quantity)
            if sum((qty for _key, qty in taken), ZERO) < quantity:
                taken = split_return(places, quantity)  # short of free stock: the posting says where
            if sum((qty for _key, qty in taken), ZERO) < quantity:
                there = sum((qty for _key, qty in places), ZERO)
                raise InvalidInput(
                    f"{field}.quantity",
                    f"only {there} of line {given.line_no} ({item.sku}) received there is left to return, "
                    f"not {quantity}",
                )
            for (location_id, lot_id), part in taken:
                left[(line_id, location_id, lot_id)] -= part
                used[(item.id, location_id, lot_id)] += part
                lot = uow.lots.by_ids([lot_id])[lot_id] if lot_id is not None else None
                own = (receipts.get((item.id, lot_id), ()) if lot_id is not None else
                       tuple(sorted(m for (held, _lot), ids in receipts.items() if held == item.id for m in ids)))
                moves.append(MoveLine(item, by_id[location_id], supplier, part, lot, returns=own))
                rows.append({"order_line_id": line_id, "item_id": item.id, "location_id": location_id,
                             "lot_id": lot_id, "quantity": part})
        own = own_reference or _next_reference(uow)
        if uow.supplier_returns.by_reference(own) is not None:
            raise AlreadyExists("return to supplier", own, "return_reference")
        draft = PostingDraft(kind=PostingKind.SUPPLIER_RETURN, moves=tuple(moves), reference=own,
                             note=clean_note or f"return to supplier against {order.reference}")
        now = ctx.now()
        posting_id = post(uow, draft, now=now)
        header = {"reference": own, "order_id": order.id, "posting_id": posting_id, "authorisation": rma,
                  "note": clean_note, "created_at": now}
        uow.purchase_orders.update(order.id, updated_at=now)  # its lines' `returned` changed (updated_since)
        return uow.supplier_returns.add(header, rows)

    return run_write(ctx, work, load_supplier_return, action="return_to_supplier", subject=supplier_return_subject,
                     idempotency_key=idempotency_key, request=command)


def _where(
    uow: UnitOfWork, given: SupplierReturnLine, field: str, item_id: int,
    places: list[tuple[Place, Decimal]], order_reference: str,
) -> list[tuple[Place, Decimal]]:
    """The places a line's units may be taken from: narrowed to the given lot and location."""
    if given.lot is not None and given.lot.strip():
        code = given.lot.strip()
        lot = uow.lots.get(item_id, code) if LOT_CODE_PATTERN.match(code) else None
        if lot is None or not any(lot_id == lot.id for (_loc, lot_id), _q in places):
            raise InvalidInput(f"{field}.lot", f"lot {code!r} was not received on line {given.line_no} "
                                               f"of {order_reference}")
        places = [(key, qty) for key, qty in places if key[1] == lot.id]
    if given.location is not None and given.location.strip():
        place = resolve.internal_location(uow, given.location, f"{field}.location")
        if not any(loc == place.id for (loc, _lot), _q in places):
            raise InvalidInput(f"{field}.location", f"line {given.line_no} of {order_reference} was not "
                                                    f"received at {place.code}")
        places = [(key, qty) for key, qty in places if key[0] == place.id]
    return places


def _free(uow: UnitOfWork, item_id: int, places: list[tuple[Place, Decimal]]) -> dict[Place, Decimal]:
    """Free stock (on hand − reserved) of the item at each of these places, per lot."""
    location_ids = sorted({location_id for (location_id, _lot), _qty in places})
    rows = uow.balances.balance_rows(item_ids=[item_id], location_ids=location_ids) if location_ids else []
    return {(row.location_id, row.lot_id): row.on_hand - row.reserved for row in rows}


def _next_reference(uow: UnitOfWork) -> str:
    """RTS-000123 from the return count, skipping numbers a manual reference already took."""
    number = uow.supplier_returns.count() + 1
    while uow.supplier_returns.by_reference(f"RTS-{number:06d}") is not None:
        number += 1
    return f"RTS-{number:06d}"


def load_supplier_return(uow: UnitOfWork, return_id: int) -> SupplierReturnView:
    row = uow.supplier_returns.get(return_id)
    if row is None:
        raise NotFound("return to supplier", str(return_id), "return")
    order = uow.purchase_orders.get(row.order_id)
    value = sum((r.value for r in uow.valuation.posting_values(int(row.posting_id))), ZERO)
    lines = tuple(
        SupplierReturnLineView(int(ln.line_no), ln.sku, ln.location_code, ln.lot_code, ln.quantity)
        for ln in uow.supplier_returns.lines(return_id)
    )
    return SupplierReturnView(
        reference=row.reference, purchase_order=order.reference, supplier=uow.suppliers.get(order.supplier_id).code,
        posting_id=int(row.posting_id), authorisation=row.authorisation, note=row.note, created_at=row.created_at,
        lines=lines, company_currency=uow.company.get().currency, value=value,
    )


def list_supplier_returns(ctx: ServiceContext, purchase_order: str) -> list[SupplierReturnView]:
    """The returns to supplier of one purchase order, oldest first."""
    with ctx.reading() as uow:
        order = order_row(uow, purchase_order)
        return [load_supplier_return(uow, int(row.id)) for row in uow.supplier_returns.for_order(order.id)]
