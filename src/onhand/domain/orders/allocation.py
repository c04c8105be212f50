"""Allocation planning: which balances an order's lines should be reserved from.

Pure and in memory, shared by one-order allocation and by waves (services/orders/allocation.py
executes the takes as guarded reservations; services/orders/waves.py writes a wave's at once):

1. `plan`: lines told where to ship from first, then routing (`routing.route`) picks
   the site(s) for the rest, grouped by item and pinned lot (pinned groups first);
2. within a site, lots first-expired-first-out (`fefo`), then bins in walking order;
3. `plan_rest`: what the routed lines still miss, from any site, nearest first.

Free stock is given as `StockOption`s (`qualifying_stock` keeps the lots usable on the
day and good for the ship date); planning lowers their `available` as it goes, so one
list can be planned against order after order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from onhand.domain.catalog.fefo import LotStock, fefo_key, qualifies
from onhand.domain.catalog.locations import Location
from onhand.domain.catalog.lots import LotStatus
from onhand.domain.ledger.postings import BalanceKey
from onhand.domain.orders.routing import RoutingPlan, ShipTo, Site, nearness, route

ZERO = Decimal(0)


@dataclass(frozen=True)
class Demand:
    """What still has to be reserved for one order line."""

    line_id: int
    item_id: int
    pinned_lot: int | None
    location_id: int | None
    quantity: Decimal


@dataclass(frozen=True)
class Take:
    """A planned reservation: this much of one balance for one order line."""

    line_id: int
    key: BalanceKey
    quantity: Decimal


def plan(
    demands: list[Demand], stock: list[StockOption], places: dict[int, Location], ship_to: ShipTo
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
    demands: list[Demand], fresh: list[StockOption], places: dict[int, Location], ship_to: ShipTo,
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


def qualifying_stock(
    rows: list[Any], items: dict[int, Any], default_days: int, today: date, ship_date: date
) -> list[StockOption]:
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
            found.append(StockOption(row.item_id, lot))
    return found


@dataclass
class StockOption:
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


def _matches(stock: StockOption, item_id: int, pinned_lot: int) -> bool:
    return stock.item_id == item_id and (not pinned_lot or stock.lot.lot_id == pinned_lot)


def _route(
    groups: list[list[Demand]], stock: list[StockOption], places: dict[int, Location], ship_to: ShipTo
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


def _fill(
    group: list[Demand],
    stock: list[StockOption],
    quantity: Decimal,
    places: dict[int, Location],
    remaining: dict[int, Decimal],
    takes: list[Take],
) -> None:
    """Plan up to `quantity` for the group's lines (in line order) from `stock`, FEFO,
    then bins in walking order. `remaining` (what each line still needs) and the
    stock's availability shrink as takes are planned."""
    def order_key(s: StockOption) -> tuple[Any, ...]:
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
