"""Everything planning reads, for many items at once, in a handful of set-based statements.

A snapshot rolls bins up into their site (a warehouse, store or 3PL; transit is a place of
its own, and what is on its way is counted as an inbound transfer instead), turns open
documents into dated effects on each (item, site), and sums demand from shipments over each
rule's window, passing assemblies' demand down to their components.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.calendar import time_zone
from onhand.domain.catalog.items import Item
from onhand.domain.catalog.locations import Location
from onhand.domain.planning.commands import DEFAULT_WINDOW_DAYS
from onhand.domain.planning.demand import Demand, explode, from_sums
from onhand.domain.planning.forecasting import explode_series
from onhand.domain.planning.projection import Document
from onhand.domain.planning.records import SupplierOffer
from onhand.domain.planning.rules import ReorderRule
from onhand.services.planning.rules import SITE_KINDS

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)
Key = tuple[int, int]  # (item id, site id)


@dataclass
class Snapshot:
    today: date
    sites: dict[int, Location]
    items: dict[int, Item]
    rules: dict[Key, ReorderRule]
    on_hand: dict[Key, Decimal] = field(default_factory=dict)
    reserved: dict[Key, Decimal] = field(default_factory=dict)
    documents: dict[Key, list[Document]] = field(default_factory=lambda: defaultdict(list))
    # Demand per window length: {window days: {(item, site): Demand}}, assemblies passed down.
    demand: dict[int, Mapping[Key, Demand]] = field(default_factory=dict)
    # Shipped by the item itself, per window: only where assemblies pass demand down.
    direct_totals: dict[int, dict[Key, Decimal]] = field(default_factory=dict)
    offers: dict[int, list[SupplierOffer]] = field(default_factory=lambda: defaultdict(list))

    def demand_of(self, key: Key, window: int) -> Demand:
        return self.demand.get(window, {}).get(key) or Demand.none(window)

    def from_assemblies(self, key: Key, window: int) -> Decimal:
        direct = self.direct_totals.get(window)
        return ZERO if direct is None else self.demand_of(key, window).total - direct.get(key, ZERO)


class DemandFromSums(Mapping[Key, Demand]):
    """Demand per item and site made from the database's Σq and Σq² when first asked for:
    suggestions read every item-site's sums but need the statistics of those in need only."""

    def __init__(self, sums: dict[Key, tuple[Decimal, Decimal]], days: int) -> None:
        self._sums = sums
        self._days = days
        self._made: dict[Key, Demand] = {}

    def __getitem__(self, key: Key) -> Demand:
        made = self._made.get(key)
        if made is None:
            total, squares = self._sums[key]
            made = self._made[key] = from_sums(total, squares, self._days)
        return made

    def __iter__(self) -> Iterator[Key]:
        return iter(self._sums)

    def __len__(self) -> int:
        return len(self._sums)


def site_map(places: dict[int, Location]) -> dict[int, int]:
    """Location id → the id of the site it belongs to, for places inside a site."""
    out = {}
    for place in places.values():
        top = places[place.path[0]] if place.path else place
        if top.kind in SITE_KINDS:
            out[place.id] = top.id
    return out


def _ancestors(item_ids: list[int], recipes: dict[int, list[tuple[int, Decimal]]]) -> set[int]:
    parents: dict[int, set[int]] = defaultdict(set)
    for parent, lines in recipes.items():
        for component, _ in lines:
            parents[component].add(parent)
    seen: set[int] = set()
    todo = list(item_ids)
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def load(
    uow: UnitOfWork, *, today: date, now: datetime, item_ids: list[int] | None, windows: set[int] | None = None
) -> Snapshot:
    """Read what planning needs for `item_ids` (None: every item with a rule, and their stock)."""
    places = uow.locations.by_id()
    to_site = site_map(places)
    rules = uow.planning.rules(item_ids=item_ids, ordered=False)
    wanted = item_ids
    snap = Snapshot(
        today=today, sites={p.id: p for p in places.values() if p.id in to_site and to_site[p.id] == p.id},
        items={}, rules={(r.item_id, r.site_id): r for r in rules},
    )
    ids = sorted({r.item_id for r in rules} | set(item_ids or ()))
    snap.items = uow.items.by_ids(ids) if ids else {}
    for row in uow.planning.stock(item_ids=wanted):
        site = to_site.get(row.location_id)
        if site is not None and row.item_id in snap.items:
            key = (row.item_id, site)
            snap.on_hand[key] = snap.on_hand.get(key, ZERO) + row.on_hand
            snap.reserved[key] = snap.reserved.get(key, ZERO) + row.reserved
    for doc in uow.planning.documents(item_ids=wanted):
        site = to_site.get(doc.location_id)
        if site is not None and doc.item_id in snap.items:
            snap.documents[(doc.item_id, site)].append(
                Document(doc.kind, doc.reference, doc.day or today, doc.quantity))
    for offer in uow.planning.offers(item_ids=wanted):
        snap.offers[offer.item_id].append(offer)
    _load_demand(uow, snap, to_site, now=now, item_ids=wanted,
                 windows=windows or ({r.demand_window_days for r in rules} or {DEFAULT_WINDOW_DAYS}))
    return snap


def _bounds(uow: UnitOfWork, *, today: date, now: datetime, window: int) -> tuple[datetime, datetime, int]:
    """The last `window` whole days (today is not over yet), and the company's UTC offset now."""
    zone = time_zone(uow.company.get().timezone)
    offset = now.astimezone(zone).utcoffset() or timedelta(0)
    since = datetime.combine(today - timedelta(days=window), time(), zone)
    until = datetime.combine(today, time(), zone)
    return since, until, int(offset.total_seconds()) // 60


def _recipes(uow: UnitOfWork) -> dict[int, list[tuple[int, Decimal]]]:
    return {parent: [(c.item_id, c.per_unit) for c in lines] for parent, lines in uow.boms.recipe_graph().items()}


def _load_demand(
    uow: UnitOfWork, snap: Snapshot, to_site: dict[int, int], *, now: datetime, item_ids: list[int] | None,
    windows: set[int],
) -> None:
    recipes = _recipes(uow)
    asked = None if item_ids is None else sorted(set(item_ids) | _ancestors(item_ids, recipes))
    for window in sorted(windows):
        since, until, minutes = _bounds(uow, today=snap.today, now=now, window=window)
        rows = uow.planning.demand(item_ids=asked, since=since, until=until, utc_offset_minutes=minutes,
                                   sites=to_site)
        sums = {(row.item_id, row.location_id): (row.total, row.squares) for row in rows}
        if not recipes:
            snap.demand[window] = DemandFromSums(sums, window)
            continue
        by_site: dict[int, dict[int, Demand]] = defaultdict(dict)
        for (item, site), (total, squares) in sums.items():
            by_site[site][item] = from_sums(total, squares, window)
        snap.direct_totals[window] = {key: total for key, (total, _) in sums.items()}
        demand: dict[Key, Demand] = {}
        for site, direct in by_site.items():
            for item, value in explode(direct, recipes).items():
                demand[(item, site)] = value
        snap.demand[window] = demand


def load_daily(
    uow: UnitOfWork, *, today: date, now: datetime, item_ids: list[int] | None, window: int
) -> dict[Key, dict[date, Decimal]]:
    """Net demand per item, site and day over the last `window` whole days, assemblies'
    daily demand passed down to their components (days without demand left out)."""
    to_site = site_map(uow.locations.by_id())
    recipes = _recipes(uow)
    asked = None if item_ids is None else sorted(set(item_ids) | _ancestors(item_ids, recipes))
    since, until, minutes = _bounds(uow, today=today, now=now, window=window)
    by_site: dict[int, dict[int, dict[date, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for row in uow.planning.daily_demand(item_ids=asked, since=since, until=until, utc_offset_minutes=minutes,
                                         sites=to_site):
        by_site[row.location_id][row.item_id][row.day] = row.quantity
    out: dict[Key, dict[date, Decimal]] = {}
    for site, direct in by_site.items():
        for item, days in explode_series(direct, recipes).items():
            out[(item, site)] = days
    return out
