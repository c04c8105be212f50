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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import ItemKind, Tracking
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput, NotFound, TransientConflict
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.orders.allocation import Demand, Take, plan, plan_rest
from onhand.domain.orders.sales_orders import ACTIVE, LineProgress, order_status
from onhand.services.audit import record_actions
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.ledger.postings import post_many
from onhand.services.orders import allocation, serials, shipping

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
MAX_WAVE = 1000


@dataclass(frozen=True)
class WaveOrder:
    reference: str
    status: str  # after the wave
    shipped: bool  # a shipment left in this wave
    note: str  # the routing note, or why the order was skipped
    reserved: tuple[tuple[str, Decimal], ...] = ()  # (SKU, reserved) per stock line, after the wave


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
        untouched = [row for row in headers if row.status in _ACTIVE and _untouched(row, lines[row.id])]
        batch = _Batch(uow, now, lines, untouched, ship=ship)
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


def _untouched(order: Any, lines: list[Any]) -> bool:
    """Nothing reserved, picked, packed or shipped yet, and no bundles: the wave's fast path."""
    return bool(lines) and not order.has_packages and all(
        line.item_kind != ItemKind.BUNDLE.value and line.kit_line_no is None
        and line.reserved == 0 and line.shipped == 0 and line.quantity > 0
        for line in lines
    )


class _Batch:
    """Untouched orders planned in memory against locked free stock and written together:
    shipped (`ship`) or reserved."""

    def __init__(
        self, uow: UnitOfWork, now: datetime, lines: dict[int, list[Any]], orders: list[Any], *, ship: bool
    ) -> None:
        self.uow, self.now, self.lines, self.ship = uow, now, lines, ship
        # A wave that ships holds the rows it plans from (its postings must find what it
        # planned); a batch that only reserves reads them unlocked, so concurrent batches
        # do not queue behind each other, and its guarded reservations tell if it lost a race.
        self.lock = ship
        self.order_ids = {row.id for row in orders}
        self.item_ids = sorted({line.item_id for row in orders for line in lines[row.id]})
        self.ground: allocation.Ground | None = None
        self.by_item: dict[int, list[SimpleNamespace]] | None = None
        self.auto_serials = uow.company.get().auto_assign_serials
        self.done: dict[str, WaveOrder] = {}
        self._pending: list[tuple[Any, list[Take], dict[str, Any], bool]] = []  # (…, ship it)

    def __contains__(self, row: Any) -> bool:
        return row.id in self.order_ids

    def plan(self, order: Any) -> None:
        """Plan the order as `allocate` would (routing, then what is missing from any
        site, nearest first); a wave that ships ships it if that covers all of it."""
        ground, by_item = self._stock()
        own = self.lines[order.id]
        demands = [Demand(line.id, line.item_id, line.pinned_lot_id, line.location_id, line.quantity) for line in own]
        item_ids = sorted({d.item_id for d in demands})
        ship_to = allocation.ship_to_of(order)

        def free_rows() -> list[SimpleNamespace]:
            return [row for item_id in item_ids for row in by_item[item_id] if row.free > 0]

        notes, takes = plan(demands, ground.qualifying(free_rows(), order), ground.places, ship_to)
        remaining = {d.line_id: d.quantity for d in demands}

        def settle(more: list[Take]) -> None:
            for take in more:
                self._rows[take.key].free -= take.quantity
                remaining[take.line_id] -= take.quantity

        settle(takes)
        if any(remaining[d.line_id] > 0 for d in demands if d.location_id is None):
            fresh = ground.qualifying(free_rows(), order)
            plan_rest(demands, fresh, ground.places, ship_to, remaining,
                      lambda more: (settle(more), takes.extend(more)))
        held_back = _serial_lines(ground, own) if self.ship and not self.auto_serials else []
        ship = self.ship and not any(remaining.values()) and not held_back
        progress = [
            LineProgress(line.quantity, ZERO if ship else line.quantity - remaining[line.id], ZERO,
                         line.quantity if ship else ZERO, line.returned)
            for line in own
        ]
        status = order_status(progress, cancelled=False, allocated=True)
        note = "; ".join(notes)[:400]
        change = {"order_key": order.id, "status": status.value, "routing_note": note,
                  "allocated_at": order.allocated_at or self.now, "updated_at": self.now}
        self._pending.append((order, takes, change, ship))
        held = tuple((line.sku, p.reserved) for line, p in zip(own, progress, strict=True))
        told = _with_hold(note, held_back if not any(remaining.values()) else [])
        self.done[order.reference] = WaveOrder(order.reference, status.value, ship, told, held)

    def flush(self) -> None:
        """Write what was planned: shipments (postings, values, shipment records),
        reservations, and the order headers."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        shipped = [entry for entry in pending if entry[3]]
        if shipped:
            self._ship(shipped)
        held = [(t.line_id, t.key, t.quantity) for _o, takes, _c, ship in pending if not ship for t in takes]
        if not self.uow.reservations.reserve_many(held, at=self.now):
            if self.lock:  # cannot happen while the rows are held; retried from scratch if it does
                raise TransientConflict("free stock changed under the batch's row locks")
            # Someone reserved from these balances since they were read: plan these
            # orders again from what is free now, this time holding the rows.
            self.lock = True
            self.forget_stock()
            for order, _takes, _change, _ship in pending:
                self.plan(order)
            self.flush()
            return
        self.uow.orders.update_many([change for _o, _t, change, _s in pending])

    def _ship(self, pending: list[tuple[Any, list[Take], dict[str, Any], bool]]) -> None:
        ground = self.ground
        assert ground is not None
        drafts, shipments = [], []
        for order, takes, _change, _ship in pending:
            # The order `ship_order` leaves reservations in: soonest expiry first, then as planned.
            expiry = {t.key: self._rows[t.key].expiry_date for t in takes}
            takes = sorted(takes, key=lambda t: (expiry[t.key] is None, expiry[t.key] or self.now.date()))
            drafts.append(PostingDraft(kind=PostingKind.SHIPMENT, reference=order.reference, moves=tuple(
                MoveLine(ground.items[t.key[0]], ground.places[t.key[1]], self._customer, t.quantity,
                         self._lots.get(t.key[2]))
                for t in takes
            )))
            shipments.append([{"order_line_id": t.line_id, "location_id": t.key[1], "lot_id": t.key[2] or None,
                               "quantity": t.quantity} for t in takes])
        posting_ids = post_many(self.uow, drafts, now=self.now)
        self.uow.shipments.add_shipments(
            [(order.id, posting_id, shipment)
             for (order, _t, _c, _s), posting_id, shipment in zip(pending, posting_ids, shipments, strict=True)],
            self.now,
        )

    def forget_stock(self) -> None:
        self.by_item = None

    def _stock(self) -> tuple[allocation.Ground, dict[int, list[SimpleNamespace]]]:
        if self.ground is None:
            self.ground = allocation.read_ground(self.uow, self.item_ids, self.now)
            self._customer = self.uow.locations.virtual(LocationKind.CUSTOMER)
        if self.by_item is None:
            # Mutable copies of the free-stock rows, shared by the wave's orders; locked
            # in key order (so waves never deadlock each other) until commit, or read.
            found = self.uow.reservations.stock(self.item_ids, self.ground.sellable, lock=self.lock)
            rows = [SimpleNamespace(**row._asdict()) for row in found]
            self.by_item = defaultdict(list)
            for row in rows:
                self.by_item[row.item_id].append(row)
            self._rows = {(row.item_id, row.location_id, row.lot_key): row for row in rows}
            self._lots = self.uow.lots.by_ids(sorted({row.lot_key for row in rows if row.lot_key}))
        return self.ground, self.by_item


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
        note = _with_hold(note, [gap.line.line_no for gap in missing])
    return WaveOrder(order.reference, header.status, shipped, note, held)


def _serial_lines(ground: allocation.Ground, lines: list[Any]) -> list[int]:
    """The numbers of an untouched order's serial-tracked lines: none has a confirmed
    serial yet, so a wave ships them only if the company auto-assigns serials."""
    return [line.line_no for line in lines if ground.items[line.item_id].tracking is Tracking.SERIAL]


def _with_hold(note: str, line_nos: list[int]) -> str:
    """The routing note, and why a covered order was held back (its serials unconfirmed)."""
    if line_nos:
        numbers = ", ".join(str(n) for n in line_nos)
        hold = f"not shipped: serial-tracked line(s) {numbers} need their serials confirmed at pick"
        note = f"{note}; {hold}" if note else hold
    return note[:400]
