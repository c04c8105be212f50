"""Stock levels (on hand, reserved, available) and movement history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from onhand.domain.availability import available
from onhand.domain.errors import InvalidInput
from onhand.domain.locations import Location, effective_sellable, site_of
from onhand.domain.lots import LotStatus, lot_usable
from onhand.services import resolve
from onhand.services.context import ServiceContext, today
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


def parse_grouping(value: str | StockGrouping) -> StockGrouping:
    try:
        return StockGrouping(value.strip().lower())
    except ValueError:
        options = ", ".join(g.value for g in StockGrouping)
        raise InvalidInput("group_by", f"{value!r} is not one of {options}") from None


@dataclass
class _Sum:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    available: Decimal = ZERO
    negative: bool = False
    expiry: date | None = None
    locations: set[int] = field(default_factory=set)


def stock_levels(
    ctx: ServiceContext,
    *,
    sku: str | None = None,
    location: str | None = None,
    lot: str | None = None,
    group_by: str | StockGrouping = StockGrouping.ITEM,
) -> StockReport:
    """On hand, reserved and available, grouped as asked, over internal locations.

    A location filter includes its bins. Available follows `domain.availability`:
    nothing in transit, non-sellable places, or expired / quarantined / recalled lots.
    """
    grouping = parse_grouping(group_by)
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
        rows = uow.ledger.balance_rows(
            item_ids=[item.id] if item else None,
            location_ids=chosen,
            lot_id=lot_filter.id if lot_filter else None,
        )
        day = today(ctx, uow)
    return _report(rows, grouping, by_id, scope, day)


def _report(
    rows: list[BalanceRow],
    grouping: StockGrouping,
    by_id: dict[int, Location],
    scope: Location | None,
    day: date,
) -> StockReport:
    sums: dict[tuple[str, str | None, str | None], _Sum] = defaultdict(_Sum)
    warnings = []
    for row in rows:
        place = by_id[row.location_id]
        usable = row.lot_id is None or lot_usable(LotStatus(row.lot_status), row.lot_expiry, day)
        sellable = effective_sellable(place, by_id)
        total = sums[_group_key(row, place, grouping, by_id, scope)]
        total.on_hand += row.on_hand
        total.reserved += row.reserved
        total.available += available(row.on_hand, row.reserved, sellable=sellable, lot_usable=usable)
        total.expiry = row.lot_expiry
        if row.on_hand < 0:
            total.negative = True
            lot_text = f" lot {row.lot_code}" if row.lot_code else ""
            warnings.append(f"{row.sku}{lot_text} is negative at {place.code}: {row.on_hand}")
    levels = [
        StockLevel(
            sku=key[0], location=key[1], lot=key[2],
            on_hand=s.on_hand, reserved=s.reserved, available=s.available,
            expiry_date=s.expiry if key[2] else None, negative=s.negative,
        )
        for key, s in sums.items()
    ]
    levels.sort(key=lambda lv: (lv.sku, lv.location or "", lv.expiry_date or date.max, lv.lot or ""))
    return StockReport(levels=tuple(levels), warnings=tuple(warnings))


def _group_key(
    row: BalanceRow,
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
    """Moves, newest first, of an item, a location (with its bins) or a lot.

    Page backwards by passing the smallest move id seen as `before_id`.
    """
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit", "must be between 1 and 1000")
    if lot is not None and sku is None:
        raise InvalidInput("lot", "a lot filter needs the sku it belongs to")
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
    return uow.ledger.history(
        item_id=item.id if item else None,
        location_ids=location_ids,
        lot_id=lot_id,
        limit=limit,
        before_id=before_id,
    )
