"""Waves: many orders allocated (and shipped) in one transaction.

A warehouse releases orders in waves; a channel import allocates its new orders in
batches. `fulfil_orders` does for each order of a wave, oldest first, what
`allocate_order` followed by `ship_order` would; `allocate_orders` what
`allocate_order` alone would:

- an order with nothing reserved, picked or shipped yet (and no bundles) is planned in
  memory exactly as `allocate` plans it (`domain/allocation.plan`: routing, FEFO, shelf life,
  pinned lots, chosen locations; then `plan_rest`: what is missing from any site,
  nearest first) against the wave's free stock, read once and locked row by row in key
  order (PostgreSQL; SQLite writers are serial), so waves never deadlock each other
  and what is planned is what is there. `fulfil_orders` ships an order that is covered
  in full at once (no reservation left behind); the rest is reserved, backordered.
  The wave's postings, values, shipments, reservations and order headers are written
  together, a few statements for the whole wave (`postings.post_many`, executemany);
- any other active order (reserved, picked or packed already, bundles) takes the
  one-order path, and the stock is read again after it;
- an order that is not active (shipped, cancelled) is skipped, with the reason.

Each order's records are the same as the one-order path leaves — one shipment posting
per order (reference = the order), its shipment, reservations, status and routing
note; a property test holds the two paths to that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.orders.sales_orders import ACTIVE
from onhand.services.audit import record_actions
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.orders import allocation, serials, shipping
from onhand.services.orders.batches import Batch, WaveOrder, untouched_order, with_hold

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
MAX_WAVE = 1000


@dataclass(frozen=True)
class WaveResult:
    orders: tuple[WaveOrder, ...]  # oldest first

    @property
    def shipped(self) -> tuple[str, ...]:
        return tuple(o.reference for o in self.orders if o.shipped)

    @property
    def waiting(self) -> tuple[str, ...]:
        """Allocated as far as stock allows, not shipped."""
        return tuple(o.reference for o in self.orders if not o.shipped and o.status in _ACTIVE)

    @property
    def skipped(self) -> tuple[str, ...]:
        """Not active when the wave came (shipped, cancelled): nothing done."""
        return tuple(o.reference for o in self.orders if not o.shipped and o.status not in _ACTIVE)


_ACTIVE = {status.value for status in ACTIVE}


def fulfil_orders(ctx: ServiceContext, references: Sequence[str]) -> WaveResult:
    """Allocate and ship a wave of orders (up to 1,000), oldest first, in one transaction."""
    return _run(ctx, references, ship=True)


def allocate_orders(ctx: ServiceContext, references: Sequence[str]) -> WaveResult:
    """Allocate a batch of orders (up to 1,000), oldest first, in one transaction: exactly
    what `allocate_order` on each in turn does, the untouched ones in a few statements."""
    return _run(ctx, references, ship=False)


def _run(ctx: ServiceContext, references: Sequence[str], *, ship: bool) -> WaveResult:
    wanted = _references(references)
    action = "fulfil_wave" if ship else "allocate_wave"

    def work(uow: UnitOfWork) -> WaveResult:
        now = ctx.now()
        headers = uow.orders.locked_by_references(list(wanted))
        known = {row.reference for row in headers}
        for reference, index in wanted.items():
            if reference not in known:
                raise NotFound("sales order", reference, f"references[{index}]")
        lines = uow.orders.lines_of([row.id for row in headers])
        untouched = [row for row in headers if row.status in _ACTIVE and untouched_order(row, lines[row.id])]
        batch = Batch(uow, now, lines, untouched, ship=ship)
        outcome: dict[str, WaveOrder] = {}
        for row in headers:  # oldest first: an order never loses stock to a younger one
            if row.status not in _ACTIVE:
                outcome[row.reference] = WaveOrder(row.reference, row.status, False, f"order is {row.status}")
            elif row in batch:
                batch.plan(row)
            else:
                batch.flush()
                outcome[row.reference] = _one_order(uow, row, now, ship=ship)
                batch.forget_stock()  # the one-order path changed it
        batch.flush()
        outcome |= batch.done
        result = WaveResult(tuple(outcome[row.reference] for row in headers))
        # One entry per order the wave acted on (skipped ones were not touched).
        skipped = set(result.skipped)
        record_actions(uow, now, [
            (action, AuditObject("sales_order", order.reference), {"status": order.status, "shipped": order.shipped})
            for order in result.orders if order.reference not in skipped
        ])
        return result

    return in_transaction(ctx, work)


def _references(references: Sequence[str]) -> dict[str, int]:
    """The wave's references (first index of each), stripped; duplicates count once."""
    if isinstance(references, str) or not references:
        raise InvalidInput("references", "give a list of one or more order references")
    if len(references) > MAX_WAVE:
        raise InvalidInput("references", f"a wave holds at most {MAX_WAVE} orders; {len(references)} given")
    found: dict[str, int] = {}
    for index, reference in enumerate(references):
        if not isinstance(reference, str) or not reference.strip():
            raise InvalidInput(f"references[{index}]", "must be an order reference")
        found.setdefault(reference.strip(), index)
    return found


def _one_order(uow: UnitOfWork, order: Any, now: datetime, *, ship: bool) -> WaveOrder:
    """The one-order path: allocate what the order still needs, and ship it if all is reserved."""
    allocation.allocate(uow, order.id, now, order=order)
    header = uow.orders.get(order.id)
    shipped = ship and shipping.ship_if_covered(uow, header, now)
    if shipped:
        header = uow.orders.get(order.id)
    stock = allocation.stock_lines(uow.orders.lines(order.id))
    held = tuple((line.sku, line.reserved) for line in stock)
    note = header.routing_note or ""
    if ship and not shipped and all(line.reserved == line.quantity - line.shipped for line in stock):
        wanted = {line.id: line.reserved for line in stock}
        missing = serials.unconfirmed(uow, header, {line.line_no: line for line in stock}, wanted)
        note = with_hold(note, [gap.line.line_no for gap in missing])
    return WaveOrder(order.reference, header.status, shipped, note, held)
