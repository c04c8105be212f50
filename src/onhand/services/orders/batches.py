"""A batch of orders allocated together: untouched orders (nothing reserved, picked, packed or
shipped, no bundles) planned in memory, as `allocation.allocate` plans each, against free
stock read once, and written together in a few statements, shipped or reserved. Waves
(`waves.py`) run their orders through one; so does a server's group of new orders to
allocate (`order_creation.create_orders`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.items import ItemKind, Tracking
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import TransientConflict
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind
from onhand.domain.orders.allocation import Demand, Take, plan, plan_rest
from onhand.domain.orders.sales_orders import LineProgress, order_status
from onhand.services.ledger.postings import post_many
from onhand.services.orders import allocation

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class WaveOrder:
    reference: str
    status: str  # after the wave
    shipped: bool  # a shipment left in this wave
    note: str  # the routing note, or why the order was skipped
    reserved: tuple[tuple[str, Decimal], ...] = ()  # (SKU, reserved) per stock line, after the wave


def untouched_order(order: Any, lines: list[Any]) -> bool:
    """Nothing reserved, picked, packed or shipped yet, and no bundles: the wave's fast path."""
    return bool(lines) and not order.has_packages and all(
        line.item_kind != ItemKind.BUNDLE.value and line.kit_line_no is None
        and line.reserved == 0 and line.shipped == 0 and line.quantity > 0
        for line in lines
    )


class Batch:
    """Untouched orders planned in memory against locked free stock and written together:
    shipped (`ship`) or reserved. (A server's group of new orders to allocate is one too.)"""

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
        self.reserved: dict[int, Decimal] = {}  # order line id -> what it holds after (as planned last)
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
        held_back = serial_lines(ground, own) if self.ship and not self.auto_serials else []
        ship = self.ship and not any(remaining.values()) and not held_back
        progress = [
            LineProgress(line.quantity, ZERO if ship else line.quantity - remaining[line.id], ZERO,
                         line.quantity if ship else ZERO, line.returned)
            for line in own
        ]
        self.reserved.update((line.id, p.reserved) for line, p in zip(own, progress, strict=True))
        status = order_status(progress, cancelled=False, allocated=True)
        note = "; ".join(notes)[:400]
        change = {"order_key": order.id, "status": status.value, "routing_note": note,
                  "allocated_at": order.allocated_at or self.now, "updated_at": self.now}
        self._pending.append((order, takes, change, ship))
        held = tuple((line.sku, p.reserved) for line, p in zip(own, progress, strict=True))
        told = with_hold(note, held_back if not any(remaining.values()) else [])
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
            # The lots' records, for the shipments' moves (a batch that only reserves needs none).
            self._lots = self.uow.lots.by_ids(sorted({row.lot_key for row in rows if row.lot_key})) if self.ship else {}
        return self.ground, self.by_item


def serial_lines(ground: allocation.Ground, lines: list[Any]) -> list[int]:
    """The numbers of an untouched order's serial-tracked lines: none has a confirmed
    serial yet, so a wave ships them only if the company auto-assigns serials."""
    return [line.line_no for line in lines if ground.items[line.item_id].tracking is Tracking.SERIAL]


def with_hold(note: str, line_nos: list[int]) -> str:
    """The routing note, and why a covered order was held back (its serials unconfirmed)."""
    if line_nos:
        numbers = ", ".join(str(n) for n in line_nos)
        hold = f"not shipped: serial-tracked line(s) {numbers} need their serials confirmed at pick"
        note = f"{note}; {hold}" if note else hold
    return note[:400]
