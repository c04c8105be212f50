"""Customer returns (RMA): goods come back against a shipped order, into a chosen
location (sellable stock, or a returns / quarantine location), with lot, reason and
condition. Nothing can come back that was not shipped on that line (and lot).

A return reverses the revenue its units were sold for (the journal does it, on the
return's business day): by default at the line's price, or at a line's
`refund_unit_price` (order currency, ≥ 0; 0 = no refund). On a bundle's components the
default is their share of the bundle's price, by cost (`domain/accounting/sales_revenue.py`);
a refund price must then be given on all of that bundle's returned components or none."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from onhand.domain.accounting.sales_revenue import validate_refund_unit_price
from onhand.domain.catalog.items import ItemKind
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.choices import parse_choice
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.money import line_total
from onhand.domain.orders.commands import ReceiveReturn
from onhand.domain.quantities import positive_quantity
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.ledger.postings import post
from onhand.services.limits import check_line_count
from onhand.services.orders import allocation
from onhand.services.orders.sales_orders import locked_order
from onhand.services.orders.views import SalesOrderView, load_order, order_subject

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


class Condition(StrEnum):
    NEW = "new"  # unopened, resellable
    OPENED = "opened"
    DAMAGED = "damaged"
    DEFECTIVE = "defective"


def _next_reference(uow: UnitOfWork) -> str:
    """RMA-000123 from the return count, skipping numbers a manual reference already took."""
    number = uow.shipments.next_return_number()
    while uow.shipments.return_reference_taken(f"RMA-{number:06d}"):
        number += 1
    return f"RMA-{number:06d}"


def receive_return(
    ctx: ServiceContext, command: ReceiveReturn, *, idempotency_key: str | None = None
) -> SalesOrderView:
    """Goods come back from the customer: one posting `customer → location`, all lines or none."""
    reference, location, lines, return_reference = (
        command.reference, command.location, command.lines, command.return_reference
    )
    check_line_count(ctx.limits, lines, "lines")
    if not lines:
        raise InvalidInput("lines", "a return needs at least one line")

    def work(uow: UnitOfWork) -> int:
        order = locked_order(uow, reference)
        place = resolve.internal_location_in_use(uow, location)
        customer = uow.locations.virtual(LocationKind.CUSTOMER)
        by_no = {line.line_no: line for line in uow.orders.lines(order.id)}
        shipped = uow.shipments.shipped_by_lot(order.id)
        returned = defaultdict(Decimal, uow.shipments.returned_by_lot(order.id))
        moves, rows = [], []
        refunds_by_kit: dict[int, set[bool]] = defaultdict(set)
        for index, ret in enumerate(lines):
            field = f"lines[{index}]"
            line = by_no.get(ret.line_no)
            if line is None:
                raise InvalidInput(f"{field}.line_no", f"the order has no line {ret.line_no}")
            if line.item_kind == ItemKind.BUNDLE.value:
                parts = ", ".join(str(p.line_no) for p in by_no.values() if p.kit_line_no == line.line_no)
                raise InvalidInput(
                    f"{field}.line_no", f"line {ret.line_no} is a bundle: return its components (lines {parts})"
                )
            item = uow.items.get(line.item_id)
            assert item is not None
            quantity = positive_quantity(ret.quantity, item.unit, f"{field}.quantity")
            lot = None
            if item.tracks_lots:
                if not ret.lot:
                    raise InvalidInput(f"{field}.lot", f"item {item.sku!r} is lot-tracked: give the returned lot")
                lot = resolve.lot(uow, item, ret.lot, f"{field}.lot")
            key = (line.id, lot.id if lot else 0)
            returnable = shipped.get(key, ZERO) - returned[key]
            if quantity > returnable:
                lot_text = f" lot {lot.code}" if lot else ""
                raise Conflict(
                    f"{field}.quantity: returning {quantity} of line {ret.line_no} ({item.sku}{lot_text}) "
                    f"but only {returnable} was shipped and not yet returned"
                )
            returned[key] += quantity
            refund = (None if ret.refund_unit_price is None
                      else validate_refund_unit_price(ret.refund_unit_price, f"{field}.refund_unit_price"))
            if refund is not None:
                line_total(quantity, refund, f"{field}.refund_unit_price")
            if line.kit_line_no is not None:
                refunds_by_kit[line.kit_line_no].add(refund is not None)
                if len(refunds_by_kit[line.kit_line_no]) > 1:
                    raise InvalidInput(
                        f"{field}.refund_unit_price",
                        f"give a refund price on every returned component of bundle line {line.kit_line_no} "
                        "or on none (none: the kits the return breaks × the bundle's price)",
                    )
            condition = parse_choice(Condition, ret.condition, f"{field}.condition")
            reason = resolve.reason(uow, ret.reason, f"{field}.reason")
            # Worth what those shipments left with, per unit, as they are valued (also later).
            left_with = uow.valuation_history.shipment_moves(order.id, item.id, lot.id if lot else None)
            moves.append(MoveLine(item, customer, place, quantity, lot, returns=left_with))
            rows.append({"order_line_id": line.id, "location_id": place.id, "lot_id": lot.id if lot else None,
                         "quantity": quantity, "reason": reason, "condition": condition.value,
                         "refund_unit_price": refund})
        rma = return_reference.strip() if return_reference else _next_reference(uow)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}", rma):
            raise InvalidInput("return_reference", f"{rma!r} is not a valid reference")
        if uow.shipments.return_reference_taken(rma):
            raise AlreadyExists("return", rma, "return_reference")
        now = ctx.now()
        draft = PostingDraft(kind=PostingKind.RETURN, moves=tuple(moves), reference=rma,
                             note=f"return of {order.reference}")
        uow.shipments.add_return(order.id, rma, post(uow, draft, now=now), rows, now)
        allocation.refresh_status(uow, order, now)
        return int(order.id)

    return run_write(ctx, work, load_order, action="receive_return", subject=order_subject,
                     idempotency_key=idempotency_key, request=command)
