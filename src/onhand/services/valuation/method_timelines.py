"""Each item's costing method over its history, as valuation needs it (`domain/valuation/method_changes.py`).

The recorded changes (`costing_method_changes`: the company's and the item's own) become
the item's timeline: the method it started with and the moments it changed. A change
into specific identification splits the pools by lot, so it is given each location's
on hand per lot at its position, read from the quantity ledger (a backdated move
before the change is counted there, as the re-valuation needs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.method_changes import MethodTimeline, SettingChange, timeline

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

MANY = 500  # beyond this many items, read every change at once rather than a long IN list


def setting_change(row: Any) -> SettingChange:
    return SettingChange(
        (row.effective_at, int(row.after_move_id), int(row.id)),
        None if row.item_id is None else int(row.item_id),
        CostingMethod(row.method) if row.method else None,
        CostingMethod(row.previous) if row.previous else None,
    )


def timelines(uow: UnitOfWork, item_ids: list[int]) -> dict[int, MethodTimeline]:
    """Per item, its method over time; without any recorded change, just the method in force."""
    company = CostingMethod(uow.valuation.company_method())
    own = uow.valuation.item_methods(item_ids if len(item_ids) <= MANY else None)
    rows = uow.costing_changes.settings(item_ids if len(item_ids) <= MANY else None)
    if not rows:
        return {item: MethodTimeline(CostingMethod(own[item]) if item in own else company) for item in item_ids}
    settings = [setting_change(row) for row in rows]
    by_item: dict[int | None, list[SettingChange]] = defaultdict(list)
    for setting in settings:
        by_item[setting.item_id].append(setting)
    found: dict[int, MethodTimeline] = {}
    for item in item_ids:
        mine = timeline(company, CostingMethod(own[item]) if item in own else None, by_item[None] + by_item[item])
        found[item] = _with_lots(uow, item, mine)
    return found


def _with_lots(uow: UnitOfWork, item_id: int, found: MethodTimeline) -> MethodTimeline:
    changes = tuple(
        replace(change, lots=uow.costing_changes.lots_at(item_id, change.position[:2])) if change.splits_lots
        else change
        for change in found.changes
    )
    return MethodTimeline(found.initial, changes)
