"""Stock levels (on hand, reserved, available) and movement history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.items import ItemKind
from onhand.domain.catalog.locations import Location, effective_sellable, site_of
from onhand.domain.catalog.lots import LotStatus, lot_usable
from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.ledger.availability import available
from onhand.domain.quantities import MAX_DECIMALS, plain
from onhand.services import resolve
from onhand.services.assemblies import bundles
from onhand.services.context import ServiceContext, today
from onhand.services.purchasing.views import IncomingRow
from onhand.services.transfers.views import TransitRow, earliest, transit_rows
from onhand.services.views import BalanceRow, MoveView, StockLevel, StockReport

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


class StockGrouping(StrEnum):
    ITEM = "item"  # one row per SKU over the chosen locations
    LOCATION = "location"  # per SKU and site (bins rolled into their warehouse/store)
    BIN = "bin"  # per SKU and exact location
    LOT = "lot"  # per SKU and lot over the chosen locations
    BALANCE = "balance"  # per SKU, exact location and lot


# Groupings that show bundles (a bundle has no bins or lots of its own).
KIT_GROUPINGS = (StockGrouping.ITEM, StockGrouping.LOCATION)


def parse_grouping(value: str | StockGrouping) -> StockGrouping:
    return parse_choice(StockGrouping, value, "group_by")


@dataclass
class _Sum:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    available: Decimal = ZERO
    negative: bool = False
    expiry: date | None = None
    locations: set[int] = field(default_factory=set)
    in_transit: Decimal = ZERO
    in_transit_expected: date | None = None
    incoming: Decimal = ZERO
    incoming_expected: date | None = None


def stock_levels(
    ctx: ServiceContext,
    *,
    sku: str | None = None,
    location: str | None = None,
    lot: str | None = None,
    group_by: str | StockGrouping = StockGrouping.ITEM,
    updated_since: datetime | str | None = None,
) -> StockReport:
    """On hand, reserved and available, grouped as asked, over internal locations.

    A location filter includes its bins. Available follows `domain.availability`:
    nothing in transit, non-sellable places, or expired / quarantined / recalled lots.
    Grouped by item or location, bundles are listed too: nothing on hand or reserved,
    available as many as their components' available stock makes (`services.bundles`).
    """
    grouping = parse_grouping(group_by)
    since = resolve.since(updated_since)
    if lot is not None and sku is None:
        raise InvalidInput("lot", "a lot filter needs the sku it belongs to")
    with ctx.reading() as uow:
        by_id = {loc.id: loc for loc in uow.locations.all()}
        scope = resolve.internal_location(uow, location) if location else None
        chosen = [
            loc.id for loc in by_id.values()
            if loc.is_internal and (scope is None or loc.is_within(scope))
        ]
        item = resolve.item(uow, sku) if sku else None
        lot_filter = resolve.lot(uow, item, lot) if item and lot else None
        kits = bundles.kit_listing(uow, only=item) if grouping in KIT_GROUPINGS else None
        rows = _Balances.read(uow, bundles.listed_item_ids(item, kits), lot_filter.id if lot_filter else None, chosen)
        day = today(ctx, uow)
        moving = transit_rows(uow, item_ids=[item.id] if item else None, destination_ids=chosen,
                              lot_id=lot_filter.id if lot_filter else None)
        # Open purchase orders have no lot yet: a lot filter leaves them out.
        arriving = [] if lot_filter else uow.purchase_orders.incoming(
            item_ids=[item.id] if item else None, location_ids=chosen)
        changed = stock_changed_since(uow, since) if since is not None else None
        report = _report(rows.within(set(chosen)), grouping, by_id, scope, day, moving, arriving)
        if kits:
            # A bundle's total is the sum of its kits per site (`kits_over_sites`).
            sites = _report(rows.within(set(chosen)), StockGrouping.LOCATION, by_id, scope, day, [], []) \
                if grouping is StockGrouping.ITEM else None
            report = kits.add_to(report, only_bundles=item is not None, sites=sites)
        if changed is None:
            return report
        listed = uow.items.by_skus(sorted({level.sku for level in report.levels}))
    # Bundles have no stock of their own: they are listed whenever asked (a superset).
    return replace(report, levels=tuple(
        level for level in report.levels
        if listed[level.sku].id in changed or listed[level.sku].kind is ItemKind.BUNDLE))


STOCK_EVENTS = ("posting.written", "reservation.made", "reservation.released", "lot.status_changed",
                "location.sellable_changed")


def stock_changed_since(uow: UnitOfWork, since: datetime) -> set[int]:
    """The items whose on hand, reserved or available changed at or after `since`, as the change
    feed recorded it: postings (transit included), reservations, lot status, sellable places."""
    items: set[int] = set()
    places: list[int] = []
    for kind, body in uow.feed.bodies_since(since, STOCK_EVENTS):
        if kind == "posting.written":
            items.update(balance["item_id"] for balance in body["balances"])
        elif kind == "location.sellable_changed":
            places.append(body["location_id"])
        else:
            items.add(body["item_id"])
    items.update(item_id for item_id, _location in uow.availability.pairs_at(places))
    return items


@dataclass
class _Balances:
    """The balances a listing reads, lean (see `StockRowReader`), with their SKUs and lots."""

    rows: list[Any]
    skus: dict[int, str]
    lots: dict[int, tuple[str, str, date | None]]

    @classmethod
    def read(cls, uow: UnitOfWork, item_ids: list[int] | None, lot_id: int | None, places: list[int]) -> _Balances:
        """The balances of the items (all when None) at `places` (a superset without items)."""
        rows = uow.stock_rows.balances(item_ids=item_ids, lot_id=lot_id, location_ids=places)
        return cls(rows, uow.stock_rows.skus(r[0] for r in rows), uow.stock_rows.lots(r[2] for r in rows if r[2]))

    def within(self, location_ids: set[int]) -> _Balances:
        return _Balances([r for r in self.rows if r[1] in location_ids], self.skus, self.lots)


def _scaled(value: int) -> Decimal:
    """A quantity from its stored integer of 10^-6."""
    return plain(Decimal(value).scaleb(-MAX_DECIMALS))


def _report(
    balances: _Balances,
    grouping: StockGrouping,
    by_id: dict[int, Location],
    scope: Location | None,
    day: date,
    moving: Sequence[TransitRow] = (),
    arriving: Sequence[IncomingRow] = (),
) -> StockReport:
    sums: dict[tuple[str, str | None, str | None], _Sum] = defaultdict(_Sum)
    warnings = []
    # Per location and per lot, asked once: a listing may hold 100,000 balances.
    places: dict[int, tuple[str | None, bool]] = {}
    usable_of: dict[int, bool] = {0: True}
    by_lot = grouping in (StockGrouping.LOT, StockGrouping.BALANCE)
    scaled: dict[tuple[str, str | None, str | None], list[Any]] = {}
    for item_id, location_id, lot_key, on_hand, reserved in balances.rows:
        spot = places.get(location_id)
        if spot is None:
            place = by_id[location_id]
            spot = places[location_id] = (_place_key(place, grouping, by_id, scope), effective_sellable(place, by_id))
        usable = usable_of.get(lot_key)
        if usable is None:
            _code, status, expiry = balances.lots[lot_key]
            usable = usable_of[lot_key] = lot_usable(LotStatus(status), expiry, day)
        key = (balances.skus[item_id], spot[0], balances.lots[lot_key][0] if by_lot and lot_key else None)
        total = scaled.get(key)
        if total is None:
            total = scaled[key] = [0, 0, 0, balances.lots[lot_key][2] if lot_key else None, False]
        total[0] += on_hand
        total[1] += reserved
        total[2] += int(available(on_hand, reserved, sellable=spot[1], lot_usable=usable))
        if on_hand < 0:
            total[4] = True
            lot_text = f" lot {balances.lots[lot_key][0]}" if lot_key else ""
            warnings.append(
                f"{balances.skus[item_id]}{lot_text} is negative at {by_id[location_id].code}: {_scaled(on_hand)}"
            )
    for key, (on_hand, reserved, free, expiry, negative) in scaled.items():
        sums[key] = _Sum(
            on_hand=_scaled(on_hand), reserved=_scaled(reserved), available=_scaled(free),
            negative=negative, expiry=expiry,
        )
    for transit in moving:  # what is on its way to the chosen places
        total = sums[_group_key(transit.row, by_id[transit.row.location_id], grouping, by_id, scope)]
        total.in_transit += transit.quantity
        total.in_transit_expected = earliest(total.in_transit_expected, transit.expected_date)
        total.expiry = total.expiry or transit.row.lot_expiry
    for incoming in arriving:  # open purchase orders bound for the chosen places
        total = sums[_group_key(incoming, by_id[incoming.location_id], grouping, by_id, scope)]
        total.incoming += incoming.quantity
        dates = [d for d in (total.incoming_expected, incoming.expected_date) if d is not None]
        total.incoming_expected = min(dates, default=None)
    levels = [
        StockLevel(
            sku=key[0], location=key[1], lot=key[2],
            on_hand=s.on_hand, reserved=s.reserved, available=s.available,
            expiry_date=s.expiry if key[2] else None, negative=s.negative,
            in_transit=s.in_transit, in_transit_expected=s.in_transit_expected,
            incoming=s.incoming, incoming_expected=s.incoming_expected,
        )
        for key, s in sums.items()
    ]
    levels.sort(key=lambda lv: (lv.sku, lv.location or "", lv.expiry_date or date.max, lv.lot or ""))
    return StockReport(levels=tuple(levels), warnings=tuple(warnings))


def _place_key(
    place: Location, grouping: StockGrouping, by_id: dict[int, Location], scope: Location | None
) -> str | None:
    """The location part of a balance's group key (see `_group_key`)."""
    if grouping is StockGrouping.LOCATION:
        return (scope or site_of(place, by_id)).code
    if grouping in (StockGrouping.BIN, StockGrouping.BALANCE):
        return place.code
    return None


def _group_key(
    row: BalanceRow | IncomingRow,
    place: Location,
    grouping: StockGrouping,
    by_id: dict[int, Location],
    scope: Location | None,
) -> tuple[str, str | None, str | None]:
    if grouping is StockGrouping.ITEM:
        return (row.sku, None, None)
    if grouping is StockGrouping.LOCATION:
        return (row.sku, (scope or site_of(place, by_id)).code, None)
    if grouping is StockGrouping.BIN:
        return (row.sku, place.code, None)
    if grouping is StockGrouping.LOT:
        return (row.sku, None, row.lot_code)
    return (row.sku, place.code, row.lot_code)


def movement_history(
    ctx: ServiceContext,
    *,
    sku: str | None = None,
    location: str | None = None,
    lot: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[MoveView]:
    """Moves, newest first, of an item, a location (with its bins) or a lot (without
    `sku`: the one lot of any item with that code).

    Page backwards by passing the smallest move id seen as `before_id`.
    """
    resolve.page(limit)
    if before_id is not None:
        resolve.record_id(before_id, "before_id")
    with ctx.reading() as uow:
        return _history(uow, sku, location, lot, limit, before_id)


def _history(
    uow: UnitOfWork,
    sku: str | None,
    location: str | None,
    lot: str | None,
    limit: int,
    before_id: int | None,
) -> list[MoveView]:
    item = resolve.item(uow, sku) if sku else None
    location_ids = None
    if location:
        scope = resolve.location(uow, location)
        location_ids = [loc.id for loc in uow.locations.all() if loc.is_within(scope)]
    lot_id = resolve.lot(uow, item, lot).id if item and lot else None
    if lot and item is None:
        found = uow.traces.find_lots(code=lot.strip(), supplier_lot=None, limit=2, offset=0)
        if not found:
            raise NotFound("lot", lot, "lot")
        if len(found) > 1:
            raise InvalidInput("lot", f"lots of several items are coded {lot.strip()!r}: give the sku too")
        lot_id = found[0]
    return uow.ledger.history(
        item_id=item.id if item else None,
        location_ids=location_ids,
        lot_id=lot_id,
        limit=limit,
        before_id=before_id,
    )
