"""Allocation: reserving stock for order lines, routed, FEFO, never more than is free.

`allocate` is the one algorithm behind manual allocation, automatic backorder
allocation when stock arrives, and re-allocation after a loss shrinks reservations:

1. What each open line still needs (its backorder), grouped by item and pinned lot.
2. Free stock at sellable locations, in lots that qualify (domain `fefo`: usable today
   and with the item's minimum remaining shelf life on the requested ship date).
3. Routing (domain `routing.route`) picks the site(s); a line's own location overrides it.
4. Within a site, lots first-expired-first-out, then bins in walking order; each
   reservation is a guarded update, so under concurrency nobody gets more than is free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.fefo import LotStock, fefo_key, qualifies
from onhand.domain.items import ItemKind
from onhand.domain.ledger import BalanceKey
from onhand.domain.locations import Location, effective_sellable
from onhand.domain.lots import LotStatus, is_usable
from onhand.domain.orders import LineProgress, OrderStatus, order_status
from onhand.domain.routing import RoutingPlan, ShipTo, Site, nearness, route

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class Demand:
    """What still has to be reserved for one order line."""

    line_id: int
    item_id: int
    pinned_lot: int | None
    location_id: int | None
    quantity: Decimal


def refresh_status(
    uow: UnitOfWork, order: Any, now: datetime, *, lines: list[LineProgress] | None = None, **changes: Any
) -> OrderStatus:
    """Write `changes` to the order with the status its facts imply (the one writer of
    `status`), in one statement. `order` is the header read under the order's lock;
    `lines` its lines' progress when the caller already knows it."""
    if lines is None:
        lines = [_progress(line) for line in stock_lines(uow.orders.lines(order.id))]
    status = order_status(
        lines,
        cancelled=changes.get("cancelled_at", order.cancelled_at) is not None,
        allocated=changes.get("allocated_at", order.allocated_at) is not None,
    )
    if status.value != order.status:
        changes |= {"status": status.value, "updated_at": now}
    if changes:
        uow.orders.update(order.id, **changes)
    return status


def stock_lines(lines: list[Any]) -> list[Any]:
    """The lines that hold stock: all but bundles' own lines (their components hold it)."""
    return [line for line in lines if line.item_kind != ItemKind.BUNDLE.value]


def _progress(line: Any) -> LineProgress:
    return LineProgress(
        ordered=line.quantity, reserved=line.reserved, picked=line.picked, shipped=line.shipped,
        returned=line.returned,
    )


def allocate(uow: UnitOfWork, order_id: int, now: datetime, *, order: Any = None) -> None:
    """Reserve what the order still needs. `order` is its header if the caller holds its lock."""
    # Whoever allocates holds the order: a receipt serving backorders and a user's
    # allocation must not both fill the same need.
    if order is None:
        order = uow.orders.locked(order_id)
    if order.cancelled_at is not None:  # cancelled while this transaction waited for the lock
        return
    lines = stock_lines(uow.orders.lines(order_id))
    if any(line.reserved > 0 for line in lines) and _release_unusable(uow, order_id, now):
        lines = stock_lines(uow.orders.lines(order_id))
    demands = [
        Demand(line.id, line.item_id, line.pinned_lot_id, line.location_id, need)
        for line in lines
        if (need := line.quantity - line.shipped - line.reserved) > 0
    ]
    changes: dict[str, Any] = {}
    granted: dict[int, Decimal] = {}
    if demands:
        note, granted = _reserve_for(uow, order, demands, now)
        changes["routing_note"] = note[:400]
    if order.allocated_at is None:
        changes["allocated_at"] = now
    progress = [
        LineProgress(line.quantity, line.reserved + granted.get(line.id, ZERO), line.picked, line.shipped,
                     line.returned)
        for line in lines
    ]
    refresh_status(uow, order, now, lines=progress, **changes)


def _reserve_for(
    uow: UnitOfWork, order: Any, demands: list[Demand], now: datetime
) -> tuple[str, dict[int, Decimal]]:
    """Reserve for `demands`; returns the routing note and what each line was granted."""
    ground = read_ground(uow, sorted({d.item_id for d in demands}), now)
    stock = ground.qualifying(uow.reservations.stock(ground.item_ids, ground.sellable), order)
    notes, takes = plan(demands, stock, ground.places, ship_to_of(order))
    remaining = {d.line_id: d.quantity for d in demands}
    _execute(uow, takes, now, remaining)
    if any(remaining[d.line_id] > 0 for d in demands if d.location_id is None):
        # Short, or a concurrent allocation took stock the routing counted on: look
        # again at what is free now, nearest site first, before anything is backordered.
        fresh = ground.qualifying(uow.reservations.stock(ground.item_ids, ground.sellable), order)
        plan_rest(demands, fresh, ground.places, ship_to_of(order), remaining,
                  lambda more: _execute(uow, more, now, remaining))
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

    def qualifying(self, rows: list[Any], order: Any) -> list[_Stock]:
        """The free stock rows usable for `order` (its ship date sets the shelf-life rule)."""
        ship_date = max(order.requested_ship_date, self.today)
        return _qualifying(rows, self.items, self.default_days, self.today, ship_date)


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


@dataclass(frozen=True)
class Take:
    """A planned reservation: this much of one balance for one order line."""

    line_id: int
    key: BalanceKey
    quantity: Decimal


def plan(
    demands: list[Demand], stock: list[_Stock], places: dict[int, Location], ship_to: ShipTo
) -> tuple[list[str], list[Take]]:
    """Decide, in memory, what to reserve where: the routing notes and the takes.

    `stock` is consumed as it is planned (its `available` shrinks), so one list can be
    planned against order after order.
    """
    remaining = {d.line_id: d.quantity for d in demands}
    notes: list[str] = []
    takes: list[Take] = []
    # Lines told where to ship from come first: routing must not take their stock.
    for demand in demands:
        if demand.location_id is not None:
            chosen = places[demand.location_id]
            here = [s for s in stock if places[s.location_id].is_within(chosen)]
            _fill([demand], here, demand.quantity, places, remaining, takes)
            notes.append(f"line chosen to ship from {chosen.code}")
    groups = _groups([d for d in demands if d.location_id is None])
    if groups:
        routing = _route(groups, stock, places, ship_to)
        notes.insert(0, routing.explanation)
        by_group: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for assignment in routing.assignments:  # the routing's "item" is the group's index
            by_group[assignment.item_id].append((assignment.site_id, assignment.quantity))
        for index, group in enumerate(groups):
            for site_id, quantity in by_group.get(index, []):
                in_site = [s for s in stock if places[s.location_id].path[0] == site_id]
                _fill(group, in_site, quantity, places, remaining, takes)
    return notes, takes


def plan_rest(
    demands: list[Demand], fresh: list[_Stock], places: dict[int, Location], ship_to: ShipTo,
    remaining: dict[int, Decimal], settle: Callable[[list[Take]], None],
) -> None:
    """What the routed lines still miss after `plan`, from any site, nearest first.

    `settle` makes one site's takes real and lowers `remaining` by what they got, before
    the next site is planned."""
    for group in _groups([d for d in demands if d.location_id is None]):
        for site in sorted({places[s.location_id].path[0] for s in fresh},
                           key=lambda site_id: nearness(_site(places[site_id]), ship_to)):
            in_site = [s for s in fresh if places[s.location_id].path[0] == site]
            need = sum((remaining[d.line_id] for d in group), ZERO)
            more: list[Take] = []
            _fill(group, in_site, need, places, dict(remaining), more)
            settle(more)


def _groups(demands: list[Demand]) -> list[list[Demand]]:
    """Lines grouped by item and pinned lot; pinned lots before the same item's unpinned
    lines, which may take any lot."""
    keyed = sorted(_group(demands).items(), key=lambda kv: (kv[0][1] == 0, kv[0]))
    return [group for _key, group in keyed]


def _execute(uow: UnitOfWork, takes: list[Take], now: datetime, remaining: dict[int, Decimal]) -> None:
    """Reserve what was planned, each a guarded update: a concurrent taker may leave less."""
    for take in takes:
        got = _reserve(uow, take.key, take.quantity)
        if got > 0:
            uow.reservations.add(take.line_id, take.key, got, picked=ZERO, at=now)
            remaining[take.line_id] -= got


def _qualifying(
    rows: list[Any], items: dict[int, Any], default_days: int, today: date, ship_date: date
) -> list[_Stock]:
    found = []
    for row in rows:
        days = items[row.item_id].min_remaining_shelf_life_days
        lot = LotStock(
            location_id=row.location_id,
            lot_id=row.lot_key or None,
            lot_code=row.lot_code,
            expiry_date=row.expiry_date,
            status=LotStatus(row.lot_status) if row.lot_status else LotStatus.RELEASED,
            available=row.free,
        )
        minimum = default_days if days is None else days
        if qualifies(lot, today=today, ship_date=ship_date, min_remaining_days=minimum):
            found.append(_Stock(row.item_id, lot))
    return found


@dataclass
class _Stock:
    item_id: int
    lot: LotStock

    @property
    def location_id(self) -> int:
        return self.lot.location_id


def _group(demands: Iterable[Demand]) -> dict[tuple[int, int], list[Demand]]:
    groups: dict[tuple[int, int], list[Demand]] = defaultdict(list)
    for demand in demands:
        groups[(demand.item_id, demand.pinned_lot or 0)].append(demand)
    return groups


def _matches(stock: _Stock, item_id: int, pinned_lot: int) -> bool:
    return stock.item_id == item_id and (not pinned_lot or stock.lot.lot_id == pinned_lot)


def _route(
    groups: list[list[Demand]], stock: list[_Stock], places: dict[int, Location], ship_to: ShipTo
) -> RoutingPlan:
    """Route by site; each group of lines (same item and pinned lot) is one routing need.

    What a pinned group will take at a site is not counted again for the same item's
    unpinned group there, so routing never promises one unit twice.
    """
    needs = {index: sum((d.quantity for d in group), ZERO) for index, group in enumerate(groups)}
    free: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for index, group in enumerate(groups):
        first = group[0]
        for s in stock:
            if _matches(s, first.item_id, first.pinned_lot or 0):
                free[places[s.location_id].path[0]][index] += s.lot.available
    for site in free.values():
        for index, group in enumerate(groups):
            item_id, pinned = group[0].item_id, group[0].pinned_lot
            if pinned:
                taken = min(needs[index], site[index])
                for other, other_group in enumerate(groups):
                    if other_group[0].item_id == item_id and not other_group[0].pinned_lot:
                        site[other] = max(site[other] - taken, ZERO)
    return route(needs, free, [_site(places[site_id]) for site_id in free], ship_to)


def _site(place: Location) -> Site:
    return Site(
        id=place.id, code=place.code, priority=place.priority,
        country=place.address.country, region=place.address.region,
        latitude=place.latitude, longitude=place.longitude, zones=place.zones,
    )


def ship_to_of(order: Any) -> ShipTo:
    return ShipTo(
        country=order.ship_to_country, region=order.ship_to_region, postcode=order.ship_to_postcode,
        latitude=order.ship_to_latitude, longitude=order.ship_to_longitude,
    )


def _fill(
    group: list[Demand],
    stock: list[_Stock],
    quantity: Decimal,
    places: dict[int, Location],
    remaining: dict[int, Decimal],
    takes: list[Take],
) -> None:
    """Plan up to `quantity` for the group's lines (in line order) from `stock`, FEFO,
    then bins in walking order. `remaining` (what each line still needs) and the
    stock's availability shrink as takes are planned."""
    def order_key(s: _Stock) -> tuple[Any, ...]:
        place = places[s.location_id]
        return (*fefo_key(s.lot), place.walk_order is None, place.walk_order or 0, place.code)

    for demand in group:
        want = min(remaining[demand.line_id], quantity)
        for s in sorted(stock, key=order_key):
            if want <= 0:
                break
            if not _matches(s, demand.item_id, demand.pinned_lot or 0) or s.lot.available <= 0:
                continue
            got = min(want, s.lot.available)
            takes.append(Take(demand.line_id, (s.item_id, s.location_id, s.lot.lot_id or 0), got))
            s.lot = replace(s.lot, available=s.lot.available - got)
            want -= got
            quantity -= got
            remaining[demand.line_id] -= got


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
