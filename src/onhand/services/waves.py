"""Wave fulfilment: many orders allocated and shipped in one transaction.

A warehouse releases orders in waves; `fulfil_orders` takes a wave (oldest order
first) and does for each what `allocate_order` followed by `ship_order` would:

- an order with nothing reserved, picked or shipped yet, that free stock covers in
  full now, is routed and given its lots exactly as `allocate_order` would (the same
  `allocation.plan`: routing, FEFO, shelf life, pinned lots, chosen locations) and
  shipped at once. Its stock never sits reserved: the wave holds the balances it
  plans from (row locks on PostgreSQL; SQLite writers are serial), and each order's
  shipment posting is guarded by free stock like any other. The wave's postings,
  values, shipments and order updates are written together, a few statements for
  the whole wave (`postings.post_many`);
- any other active order (stock for part of it only, already reserved or picked,
  packed, bundles) is allocated as `allocate_order` does, and shipped if everything
  it still has to ship is then reserved; otherwise it waits, backordered;
- an order that is not active (shipped, cancelled) is skipped, with the reason.

Each order's records are the same as the one-order path leaves: one shipment posting
per order (reference = the order), its shipment, status and routing note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.items import ItemKind
from onhand.domain.ledger import MoveLine, PostingDraft, PostingKind
from onhand.domain.locations import LocationKind
from onhand.domain.orders import ACTIVE, LineProgress, order_status
from onhand.services import allocation, shipping
from onhand.services.allocation import Demand
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.postings import post_many

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
    wanted = _references(references)

    def work(uow: UnitOfWork) -> WaveResult:
        now = ctx.now()
        headers = uow.orders.locked_by_references(list(wanted))
        known = {row.reference for row in headers}
        for reference, index in wanted.items():
            if reference not in known:
                raise NotFound("sales order", reference, f"references[{index}]")
        lines = uow.orders.lines_of([row.id for row in headers])
        untouched = [row for row in headers if row.status in _ACTIVE and _untouched(row, lines[row.id])]
        batch = _Batch(uow, now, lines, untouched)
        outcome: dict[str, WaveOrder] = {}
        for row in headers:  # oldest first: an order never loses stock to a younger one
            if row.status not in _ACTIVE:
                outcome[row.reference] = WaveOrder(row.reference, row.status, False, f"order is {row.status}")
            elif row in batch and batch.plan(row):
                continue
            else:
                batch.flush()
                outcome[row.reference] = _allocate_and_ship(uow, row, now)
                batch.forget_stock()  # the one-order path changed it
        batch.flush()
        outcome |= batch.shipped
        return WaveResult(tuple(outcome[row.reference] for row in headers))

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
    """Untouched orders planned in memory against locked free stock and written together."""

    def __init__(self, uow: UnitOfWork, now: datetime, lines: dict[int, list[Any]], orders: list[Any]) -> None:
        self.uow, self.now, self.lines = uow, now, lines
        self.orders = {row.id: row for row in orders}
        self.item_ids = sorted({line.item_id for row in orders for line in lines[row.id]})
        self.ground: allocation.Ground | None = None
        self.by_item: dict[int, list[SimpleNamespace]] | None = None
        self.shipped: dict[str, WaveOrder] = {}
        self._pending: list[tuple[Any, PostingDraft, list[dict[str, Any]], dict[str, Any]]] = []

    def __contains__(self, row: Any) -> bool:
        return row.id in self.orders

    def plan(self, order: Any) -> bool:
        """Plan the order's shipment if free stock covers all of it; whether it did."""
        ground, by_item = self._stock()
        own = self.lines[order.id]
        demands = [Demand(line.id, line.item_id, line.pinned_lot_id, line.location_id, line.quantity) for line in own]
        rows = [row for item_id in sorted({d.item_id for d in demands}) for row in by_item[item_id] if row.free > 0]
        notes, takes = allocation.plan(demands, ground.qualifying(rows, order), ground.places,
                                       allocation.ship_to_of(order))
        planned: dict[int, Decimal] = defaultdict(Decimal)
        for take in takes:
            planned[take.line_id] += take.quantity
        if any(planned[d.line_id] != d.quantity for d in demands):
            return False
        for take in takes:
            self._rows[take.key].free -= take.quantity
        # The order `ship_order` leaves reservations in: soonest expiry first, then as planned.
        takes.sort(key=lambda take: (self._expiry[take.key] is None, self._expiry[take.key] or self.now.date()))
        draft = PostingDraft(kind=PostingKind.SHIPMENT, reference=order.reference, moves=tuple(
            MoveLine(ground.items[take.key[0]], ground.places[take.key[1]], self._customer, take.quantity,
                     self._lots.get(take.key[2]))
            for take in takes
        ))
        shipment = [{"order_line_id": take.line_id, "location_id": take.key[1], "lot_id": take.key[2] or None,
                     "quantity": take.quantity} for take in takes]
        status = order_status(
            [LineProgress(line.quantity, ZERO, ZERO, line.quantity, line.returned) for line in own],
            cancelled=False, allocated=True,
        )
        note = "; ".join(notes)[:400]
        change = {"order_key": order.id, "status": status.value, "routing_note": note,
                  "allocated_at": order.allocated_at or self.now, "updated_at": self.now}
        self._pending.append((order, draft, shipment, change))
        self.shipped[order.reference] = WaveOrder(order.reference, status.value, True, note)
        return True

    def flush(self) -> None:
        """Write the planned shipments: postings, values, shipments, order headers."""
        if not self._pending:
            return
        posting_ids = post_many(self.uow, [draft for _o, draft, _s, _c in self._pending], now=self.now)
        self.uow.shipments.add_shipments(
            [(order.id, posting_id, shipment)
             for (order, _d, shipment, _c), posting_id in zip(self._pending, posting_ids, strict=True)],
            self.now,
        )
        self.uow.orders.update_many([change for _o, _d, _s, change in self._pending])
        self._pending = []

    def forget_stock(self) -> None:
        self.by_item = None

    def _stock(self) -> tuple[allocation.Ground, dict[int, list[SimpleNamespace]]]:
        if self.ground is None:
            self.ground = allocation.read_ground(self.uow, self.item_ids, self.now)
            self._customer = self.uow.locations.virtual(LocationKind.CUSTOMER)
        if self.by_item is None:
            # Mutable copies of the free-stock rows, each locked, shared by the wave's orders.
            locked = self.uow.reservations.stock(self.item_ids, self.ground.sellable, lock=True)
            rows = [SimpleNamespace(**row._asdict()) for row in locked]
            self.by_item = defaultdict(list)
            for row in rows:
                self.by_item[row.item_id].append(row)
            self._rows = {(row.item_id, row.location_id, row.lot_key): row for row in rows}
            self._expiry = {key: row.expiry_date for key, row in self._rows.items()}
            self._lots = self.uow.lots.by_ids(sorted({row.lot_key for row in rows if row.lot_key}))
        return self.ground, self.by_item


def _allocate_and_ship(uow: UnitOfWork, order: Any, now: datetime) -> WaveOrder:
    """The one-order path: allocate what the order still needs, ship it if all is reserved."""
    allocation.allocate(uow, order.id, now, order=order)
    header = uow.orders.get(order.id)
    shipped = shipping.ship_if_covered(uow, header, now)
    if shipped:
        header = uow.orders.get(order.id)
    return WaveOrder(order.reference, header.status, shipped, header.routing_note or "")
