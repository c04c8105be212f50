"""Reading what stock is worth: the valuation report and the values of a posting's moves.

Values are in company currency, exact to 10⁻⁶ (round to the cent for display). The
report reads the cost layers as they are now; a report at a past moment needs the
history checkpoints, which are not wired yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from onhand.domain.choices import parse_choice
from onhand.domain.cost_layers import ZERO, PoolSnapshot
from onhand.domain.errors import InvalidInput
from onhand.domain.valuation import ValuationSnapshot
from onhand.domain.valuation_report import ItemPools
from onhand.domain.valuation_report import valuation_report as build_report
from onhand.services import resolve
from onhand.services.context import ServiceContext
from onhand.services.opening_valuation import UnvaluedStock, find_unvalued
from onhand.services.postings import load_posting
from onhand.services.valuing import methods_for


class GroupBy(StrEnum):
    ITEM = "item"  # one line per item
    LOCATION = "location"  # per item and location
    LOT = "lot"  # per item, location and lot


@dataclass(frozen=True)
class ValuationLine:
    sku: str
    location: str | None
    lot: str | None
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class ValuationReportView:
    at: datetime
    group_by: str
    currency: str
    lines: tuple[ValuationLine, ...]
    total_quantity: Decimal
    total_value: Decimal
    # Pools whose on hand their cost layers do not cover (stock that predates valuation).
    unvalued: tuple[UnvaluedStock, ...] = ()


@dataclass(frozen=True)
class MoveValueView:
    move_id: int
    sku: str
    lot: str | None
    source: str
    destination: str
    quantity: Decimal
    role: str
    value: Decimal
    variance: Decimal
    basis: str


@dataclass(frozen=True)
class PostingValuesView:
    posting_id: int
    currency: str
    moves: tuple[MoveValueView, ...]
    total_value: Decimal


def parse_group_by(value: str | None) -> GroupBy:
    return parse_choice(GroupBy, value or "item", "group_by")


def valuation_report(
    ctx: ServiceContext, *, at: datetime | None = None, group_by: str | None = None
) -> ValuationReportView:
    grouping = parse_group_by(group_by)
    if at is not None:
        raise InvalidInput("at", "only the current valuation is available yet (no history checkpoints)")
    now = ctx.now()
    with ctx.reading() as uow:
        pools = uow.valuation.pools()
        item_ids = sorted({item for item, _loc, _lot in pools})
        items = uow.items.by_ids(item_ids)
        methods = methods_for(uow, item_ids)
        by_item: dict[int, dict[tuple[int, int | None], PoolSnapshot]] = defaultdict(dict)
        for (item, loc, lot), snap in pools.items():
            by_item[item][(loc, lot or None)] = snap
        report = build_report(
            now,
            [ItemPools(i, items[i].sku, ValuationSnapshot(methods[i], None, by_item[i])) for i in item_ids],
            lot_quantities=uow.valuation.lot_balances(),
        )
        places = {loc.id: loc.code for loc in uow.locations.all()}
        lot_ids = sorted({p.lot for p in report.positions if p.lot is not None})
        lots = uow.lots.by_ids(lot_ids) if lot_ids else {}
        currency = uow.company.get().currency
        unvalued = tuple(find_unvalued(uow))
    sums: dict[tuple[str, str | None, str | None], list[Decimal]] = {}
    for p in report.positions:
        location = places[p.location] if grouping is not GroupBy.ITEM else None
        lot = lots[p.lot].code if grouping is GroupBy.LOT and p.lot is not None else None
        entry = sums.setdefault((p.sku, location, lot), [ZERO, ZERO])
        entry[0] += p.quantity
        entry[1] += p.value
    lines = tuple(
        ValuationLine(sku, loc, lot, q, v)
        for (sku, loc, lot), (q, v) in sorted(sums.items(), key=lambda e: (e[0][0], e[0][1] or "", e[0][2] or ""))
    )
    return ValuationReportView(
        now, grouping.value, currency, lines, report.total_quantity, report.total_value, unvalued
    )


def move_values(ctx: ServiceContext, posting_id: int) -> PostingValuesView:
    resolve.record_id(posting_id, "posting_id")
    with ctx.reading() as uow:
        load_posting(uow, posting_id)
        rows = uow.valuation.posting_values(posting_id)
        items = uow.items.by_ids(sorted({int(r.item_id) for r in rows}))
        places = {loc.id: loc.code for loc in uow.locations.all()}
        lot_ids = sorted({int(r.lot_id) for r in rows if r.lot_id is not None})
        lots = uow.lots.by_ids(lot_ids) if lot_ids else {}
        currency = uow.company.get().currency
    views = tuple(
        MoveValueView(
            move_id=int(r.id), sku=items[int(r.item_id)].sku,
            lot=lots[int(r.lot_id)].code if r.lot_id is not None else None,
            source=places[int(r.from_location_id)], destination=places[int(r.to_location_id)],
            quantity=r.quantity, role=r.role, value=r.value, variance=r.variance, basis=r.basis,
        )
        for r in rows
    )
    return PostingValuesView(posting_id, currency, views, sum((v.value for v in views), ZERO))
