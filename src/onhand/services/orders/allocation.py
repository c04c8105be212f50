"""Allocation: reserving stock for order lines, routed, FEFO, never more than is free.

`allocate` is the one algorithm behind manual allocation, automatic backorder
allocation when stock arrives, and re-allocation after a loss shrinks reservations:

1. What each open line still needs (its backorder).
2. Free stock at sellable locations, in lots that qualify (domain `fefo`: usable today
   and with the item's minimum remaining shelf life on the requested ship date).
3. The plan (`domain/orders/allocation.py`): routing picks the site(s), a line's own location
   overrides it; within a site, lots first-expired-first-out, then bins in walking order.
4. Each planned take is a guarded reservation, so under concurrency nobody gets more
   than is free; what a concurrent taker left short is looked for again (`plan_rest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.fefo import LotStock
from onhand.domain.catalog.items import ItemKind
from onhand.domain.catalog.locations import Location, effective_sellable
from onhand.domain.catalog.lots import is_usable
from onhand.domain.ledger.postings import BalanceKey
from onhand.domain.orders.allocation import (
    Demand,
    StockOption,
    Take,
    plan,
    plan_rest,
    qualifying_stock,
)
from onhand.domain.orders.records import ReservationRecord, SalesOrderLineRecord
from onhand.domain.orders.routing import ShipTo
from onhand.domain.orders.sales_orders import LineProgress, OrderStatus, order_status
from onhand.domain.orders.views import ReservationView
from onhand.domain.quantities import plain
from onhand.services.orders.views import OrderNow

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


def refresh_status(
    uow: UnitOfWork, order: Any, now: datetime, *, lines: list[LineProgress] | None = None, **changes: Any
) -> OrderStatus:
    """Write `changes` to the order with the status its facts imply (the one writer of
    `status`) and `updated_at`, in one statement. `order` is the header read under the order's lock;
    `lines` its lines' progress when the caller already knows it."""
    if lines is None:
        lines = [progress(line) for line in stock_lines(uow.orders.lines(order.id))]
    status = order_status(
        lines,
        cancelled=changes.get("cancelled_at", order.cancelled_at) is not None,
        allocated=changes.get("allocated_at", order.allocated_at) is not None,
    )
    if status.value != order.status:
        changes |= {"status": status.value}
    # Every caller changed the order or its lines: `updated_since` listings rely on it.
    uow.orders.update(order.id, **(changes | {"updated_at": changes.get("updated_at", now)}))
    return status


def stock_lines(lines: list[Any]) -> list[Any]:
    """The lines that hold stock: all but bundles' own lines (their components hold it)."""
    return [line for line in lines if line.item_kind != ItemKind.BUNDLE.value]


def progress(line: Any) -> LineProgress:
    return LineProgress(
        ordered=line.quantity, reserved=line.reserved, picked=line.picked, shipped=line.shipped,
        returned=line.returned,
    )


def allocate(
    uow: UnitOfWork, order_id: int, now: datetime, *, order: Any = None,
    lines: list[SalesOrderLineRecord] | None = None,
) -> OrderNow | None:
    """Reserve what the order still needs. `order` is its header if the caller holds its lock,
    `lines` its lines if the caller holds them as they are (an order it just made).

    Returns the order's lines as they are now, and the reservations it made (None if it was
    cancelled meanwhile)."""
    # Whoever allocates holds the order: a receipt serving backorders and a user's
    # allocation must not both fill the same need.
    if order is None:
        order = uow.orders.locked(order_id)
    if order.cancelled_at is not None:  # cancelled while this transaction waited for the lock
        return None
    every = uow.orders.lines(order_id) if lines is None else lines
    holding = stock_lines(every)
    if any(line.reserved > 0 for line in holding) and _release_unusable(uow, order_id, now):
        every = uow.orders.lines(order_id)
        holding = stock_lines(every)
    demands = [
        Demand(line.id, line.item_id, line.pinned_lot_id, line.location_id, need)
        for line in holding
        if (need := line.quantity - line.shipped - line.reserved) > 0
    ]
    changes: dict[str, Any] = {}
    granted: dict[int, Decimal] = {}
    made = _Made()
    if demands:
        note, granted = _reserve_for(uow, order, demands, now, made)
        changes["routing_note"] = note[:400]
    if order.allocated_at is None:
        changes["allocated_at"] = now
    after = [
        LineProgress(line.quantity, line.reserved + granted.get(line.id, ZERO), line.picked, line.shipped,
                     line.returned)
        for line in holding
    ]
    refresh_status(uow, order, now, lines=after, **changes)
    # As a read now would give them: what each line holds is only what it was granted more.
    return OrderNow(order_id, [
        replace(line, reserved=plain(line.reserved + granted[line.id])) if line.id in granted else line
        for line in every
    ], tuple(made.rows.values()))


@dataclass
class _Made:
    """The reservations an allocation made or grew, as they are now, by id; with the places
    and the facts of the stock it took from, which their views show."""

    places: dict[int, Location] = field(default_factory=dict)
    stock: dict[BalanceKey, LotStock] = field(default_factory=dict)
    rows: dict[int, tuple[int, ReservationView]] = field(default_factory=dict)

    def knows(self, places: dict[int, Location], options: list[StockOption]) -> list[StockOption]:
        self.places = places
        self.stock.update(((option.item_id, option.location_id, option.lot.lot_id or 0), option.lot)
                          for option in options)
        return options

    def add(self, row: ReservationRecord) -> None:
        lot = self.stock[(row.item_id, row.location_id, row.lot_key)]
        self.rows[row.id] = (row.order_line_id, ReservationView(
            row.id, self.places[row.location_id].code, lot.lot_code, lot.expiry_date, row.quantity, row.picked))


def _reserve_for(
    uow: UnitOfWork, order: Any, demands: list[Demand], now: datetime, made: _Made
) -> tuple[str, dict[int, Decimal]]:
    """Reserve for `demands`; returns the routing note and what each line was granted."""
    ground = read_ground(uow, sorted({d.item_id for d in demands}), now)
    stock = made.knows(ground.places, ground.qualifying(uow.reservations.stock(ground.item_ids, ground.sellable),
                                                        order))
    notes, takes = plan(demands, stock, ground.places, ship_to_of(order))
    remaining = {d.line_id: d.quantity for d in demands}
    _execute(uow, takes, now, remaining, made)
    if any(remaining[d.line_id] > 0 for d in demands if d.location_id is None):
        # Short, or a concurrent allocation took stock the routing counted on: look
        # again at what is free now, nearest site first, before anything is backordered.
        fresh = made.knows(ground.places, ground.qualifying(
            uow.reservations.stock(ground.item_ids, ground.sellable), order))
        plan_rest(demands, fresh, ground.places, ship_to_of(order), remaining,
                  lambda more: _execute(uow, more, now, remaining, made))
    granted = {d.line_id: d.quantity - remaining[d.line_id] for d in demands}
    return "; ".join(notes), granted


@dataclass(frozen=True)
class Ground:
    """What allocation reads once per unit of work: the day, places, items, the rules."""

    today: date
    places: dict[int, Location]
    sellable: list[int]
    items: dict[int, Any]
    default_days: int

    @property
    def item_ids(self) -> list[int]:
        return sorted(self.items)

    def qualifying(self, rows: list[Any], order: Any) -> list[StockOption]:
        """The free stock rows usable for `order` (its ship date sets the shelf-life rule)."""
        ship_date = max(order.requested_ship_date, self.today)
        return qualifying_stock(rows, self.items, self.default_days, self.today, ship_date)


def read_ground(uow: UnitOfWork, item_ids: list[int], now: datetime) -> Ground:
    company = uow.company.get()
    places = uow.locations.by_id()
    return Ground(
        today=business_day(now, time_zone(company.timezone)),
        places=places,
        sellable=[loc.id for loc in places.values() if effective_sellable(loc, places)],
        items=uow.items.by_ids(item_ids),
        default_days=company.min_remaining_shelf_life_days,
    )


def _execute(
    uow: UnitOfWork, takes: list[Take], now: datetime, remaining: dict[int, Decimal], made: _Made
) -> None:
    """Reserve what was planned, each a guarded update: a concurrent taker may leave less."""
    for take in takes:
        got = _reserve(uow, take.key, take.quantity)
        if got > 0:
            made.add(uow.reservations.add(take.line_id, take.key, got, picked=ZERO, at=now))
            remaining[take.line_id] -= got


def ship_to_of(order: Any) -> ShipTo:
    return ShipTo(
        country=order.ship_to_country, region=order.ship_to_region, postcode=order.ship_to_postcode,
        latitude=order.ship_to_latitude, longitude=order.ship_to_longitude,
    )


def _reserve(uow: UnitOfWork, key: BalanceKey, quantity: Decimal) -> Decimal:
    """Reserve as much of `quantity` as is free; a concurrent taker may leave less."""
    while quantity > 0:
        if uow.reservations.reserve(key, quantity):
            return quantity
        quantity = min(quantity, uow.reservations.free(key))
    return ZERO


def _release_unusable(uow: UnitOfWork, order_id: int, now: datetime) -> bool:
    """Reservations on lots that expired, or were quarantined or recalled, are given back.

    Returns whether any was."""
    rows = [row for row in uow.reservations.for_order(order_id) if row.lot_key]
    if not rows:
        return False
    day = business_day(now, time_zone(uow.company.get().timezone))
    lots = uow.lots.by_ids(sorted({row.lot_key for row in rows}))
    released = False
    for row in rows:
        if not is_usable(lots[row.lot_key], day):
            uow.reservations.release(row, row.quantity)
            released = True
    return released
