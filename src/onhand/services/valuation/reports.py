"""Reading what stock is worth: the valuation report and the values of a posting's moves.

Values are in company currency, exact to 10⁻⁶ (round to the cent for display). The
report now reads the cost layers as they are; a report at a past moment starts from each
item's newest checkpoint at or before it and replays the item's moves up to it
(`domain/valuation_report.snapshot_at`). Both give aging buckets by the date the units came in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from onhand.domain.choices import parse_choice
from onhand.domain.valuation.cost_layers import ZERO, PoolSnapshot
from onhand.domain.valuation.report import ItemPools, snapshot_at
from onhand.domain.valuation.report import valuation_report as build_report
from onhand.domain.valuation.value_history import CostMove, ValuationSnapshot
from onhand.services import resolve
from onhand.services.context import ServiceContext
from onhand.services.ledger.postings import load_posting, parse_effective_at
from onhand.services.valuation import return_costs
from onhand.services.valuation.backdating import methods_for, stored_cost_move
from onhand.services.valuation.method_timelines import timelines
from onhand.services.valuation.opening import UnvaluedStock, find_unvalued

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


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
class AgingLine:
    bucket: str  # "0-30", "31-60", "61-90", "91-180", "181+" days since the units came in
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
    aging: tuple[AgingLine, ...] = ()
    # Pools whose on hand their cost layers do not cover (stock that predates valuation;
    # as it is now, so only on a report of now).
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
    ctx: ServiceContext, *, at: datetime | str | None = None, group_by: str | None = None
) -> ValuationReportView:
    """Quantity and value per item (location, lot) now, or at the past moment `at`, with aging."""
    grouping = parse_group_by(group_by)
    now = ctx.now()
    with ctx.reading() as uow:
        moment = parse_effective_at(at, uow, now=now, field="at") if at is not None else None
        if moment is None:
            snapshots = _pools_now(uow)
            lot_quantities = uow.valuation.lot_balances()
        else:
            snapshots = _pools_at(uow, moment)
            lot_quantities = uow.valuation_history.lot_quantities_until(moment)
        item_ids = sorted(snapshots)
        skus = uow.valuation.item_skus()
        report = build_report(
            moment or now,
            [ItemPools(i, skus[i], snapshots[i]) for i in item_ids],
            lot_quantities=lot_quantities,
        )
        places = {loc.id: loc.code for loc in uow.locations.all()}
        lot_ids = sorted({p.lot for p in report.positions if p.lot is not None})
        lots = uow.lots.by_ids(lot_ids) if lot_ids else {}
        currency = uow.company.get().currency
        unvalued = tuple(find_unvalued(uow)) if moment is None else ()
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
    aging = tuple(AgingLine(b.label, b.quantity, b.value) for b in report.aging)
    return ValuationReportView(moment or now, grouping.value, currency, lines, report.total_quantity,
                               report.total_value, aging, unvalued)


def _pools_now(uow: UnitOfWork) -> dict[int, ValuationSnapshot]:
    pools = uow.valuation.pools()
    methods = methods_for(uow, sorted({item for item, _loc, _lot in pools}))
    by_item: dict[int, dict[tuple[int, int | None], PoolSnapshot]] = defaultdict(dict)
    for (item, loc, lot), snap in pools.items():
        by_item[item][(loc, lot or None)] = snap
    return {item: ValuationSnapshot(methods[item], None, by_item[item]) for item in by_item}


def _pools_at(uow: UnitOfWork, at: datetime) -> dict[int, ValuationSnapshot]:
    """Each item's pools just after `at`: its newest checkpoint at or before it, plus the moves up to it."""
    checkpoints = uow.checkpoints.checkpoints_until(at)
    rows = uow.valuation_history.moves_until(at, {item: position for item, (position, _) in checkpoints.items()})
    moves: dict[int, list[CostMove]] = defaultdict(list)
    item_of = {int(row.id): int(row.item_id) for row in rows}
    for move in return_costs.receipts_linked(uow, [stored_cost_move(row) for row in rows]):
        moves[item_of[move.id]].append(move)
    item_ids = sorted(set(checkpoints) | set(moves))
    found: dict[int, ValuationSnapshot] = {}
    for item, timeline in timelines(uow, item_ids).items():
        position = checkpoints[item][0] if item in checkpoints else None
        method = timeline.method_at(position)  # the checkpoint's; later changes are crossed on the way
        start = ValuationSnapshot(method, *checkpoints[item]) if item in checkpoints else None
        found[item] = snapshot_at(method, at, moves.get(item, ()), checkpoint=start,
                                  changes=timeline.after(position))
    return found


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
