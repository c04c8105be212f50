"""Costing settings: the company's costing method and an item's own (overriding it), and changing them.

The company chooses FIFO, LIFO (US GAAP only: IFRS does not allow it) or moving average
(default FIFO); an item may override it, and a lot-tracked item may use specific
identification by lot. A method may change
while stock is on hand: the change is a dated event in the history of every item it
governs (`costing_method_changes`, effective now, placed after the newest move), the
stock on hand is re-layered under the new method with its total value unchanged
(`domain/valuation/method_changes.py`), and later moves — and any re-valuation that crosses the
change — are valued under it. The value of stock does not change, so no journal entry.

Refused (naming `costing_method`, nothing changed): specific_lot on an item without
lots; a change while a governed item has stock its layers do not cover (it predates
valuation: give it opening layers first); a change on a day in the locked period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.accounting.journal_days import check_not_locked
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.locations import INTERNAL_KINDS
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod
from onhand.domain.valuation.cost_layers import CostingMethod, PoolSnapshot
from onhand.domain.valuation.method_changes import MethodChange, convert
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write, today
from onhand.services.valuation.backdating import methods_for
from onhand.services.valuation.value_bounds import check_pools

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

COMPANY_METHODS = (CostingMethod.FIFO, CostingMethod.LIFO, CostingMethod.MOVING_AVERAGE)


@dataclass(frozen=True)
class ItemCosting:
    sku: str
    method: str  # the method in force
    own_method: str | None  # the item's override, None: the company's


@dataclass(frozen=True)
class CostingChangeView:
    id: int
    sku: str | None  # None: the company's method
    method: str | None  # for an item, None: follows the company's method from then on
    previous: str | None
    effective_at: datetime
    created_at: datetime


def parse_method(value: str, field: str, allowed: tuple[CostingMethod, ...] = tuple(CostingMethod)) -> CostingMethod:
    cleaned = value.strip().lower().replace("-", "_") if isinstance(value, str) else value
    try:
        method = CostingMethod(cleaned)
    except ValueError:
        method = None
    if method is None or method not in allowed:
        options = ", ".join(m.value for m in allowed)
        raise InvalidInput(field, f"{value!r} is not a costing method here; use one of {options}")
    return method


def get_company_costing_method(ctx: ServiceContext) -> str:
    with ctx.reading() as uow:
        return uow.valuation.company_method()


def set_company_costing_method(
    ctx: ServiceContext, command: SetCompanyCostingMethod, *, idempotency_key: str | None = None
) -> str:
    """Choose the company's method; with history, the items that follow it change from now on."""
    chosen = parse_method(command.method, "costing_method", COMPANY_METHODS)

    def work(uow: UnitOfWork) -> int:
        current = CostingMethod(uow.valuation.company_method())
        if current is not chosen:
            # The company row first: concurrent changes queue behind it. Then every item, so
            # that an item valued for the first time by a concurrent posting is seen here, or
            # its posting sees this change (it locks its items before reading the method).
            uow.valuation.set_company_method(chosen.value)
            uow.valuation.lock_items(sorted(uow.valuation.item_skus()))
            governed = uow.costing_changes.valued_items(following_company=True)
            _record(ctx, uow, None, chosen, current, {item: (current, chosen) for item in governed})
        return 1

    return run_write(ctx, work, lambda uow, _id: uow.valuation.company_method(), action="set_costing_method",
                     subject=lambda _method: AuditObject("company", "costing_method"),
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: uow.valuation.company_method())


def get_item_costing(ctx: ServiceContext, sku: str) -> ItemCosting:
    with ctx.reading() as uow:
        return _item_costing(uow, resolve.item(uow, sku).id)


def set_item_costing_method(
    ctx: ServiceContext, command: SetItemCostingMethod, *, idempotency_key: str | None = None
) -> ItemCosting:
    """Give an item its own method, or (`None` or "") let it follow the company's; with history, from now on."""
    sku, method = command.sku, command.method
    chosen = parse_method(method, "costing_method") if method is not None and method.strip() else None

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, sku)
        if chosen is CostingMethod.SPECIFIC_LOT and not item.tracks_lots:
            raise InvalidInput(
                "costing_method", f"item {item.sku!r} has no lots; specific_lot needs a lot-tracked item"
            )
        uow.valuation.lock_items([item.id])
        current = _item_costing(uow, item.id)
        own = CostingMethod(current.own_method) if current.own_method else None
        if own is not chosen:
            new = chosen or CostingMethod(uow.valuation.company_method())
            valued = uow.costing_changes.valued_items(following_company=False, item_ids=[item.id])
            _record(ctx, uow, item.id, chosen, own, {i: (CostingMethod(current.method), new) for i in valued})
            uow.valuation.set_item_method(item.id, chosen.value if chosen else None)
        return item.id

    return run_write(ctx, work, _item_costing, action="set_item_costing_method",
                     subject=lambda costing: AuditObject("item", costing.sku),
                     idempotency_key=idempotency_key, request=command,
                     before=lambda uow: _item_costing(uow, resolve.item(uow, sku).id))


def costing_changes(ctx: ServiceContext, *, sku: str | None = None) -> list[CostingChangeView]:
    """The history of changes of costing method, oldest first: every one, or the company's and one item's."""
    with ctx.reading() as uow:
        item_id = resolve.item(uow, sku).id if sku else None
        rows = uow.costing_changes.listing(item_id)
    return [CostingChangeView(int(r.id), r.sku, r.method, r.previous, r.effective_at, r.created_at) for r in rows]


def _record(
    ctx: ServiceContext, uow: UnitOfWork, item_id: int | None, method: CostingMethod | None,
    previous: CostingMethod | None, governed: dict[int, tuple[CostingMethod, CostingMethod]],
) -> None:
    """Record a change made now and re-layer the pools of the items whose method it changes.

    `governed`: the items with valuation history or pools it governs, each with its method
    before and after (an item never valued has nothing to re-layer)."""
    check_not_locked(today(ctx, uow), uow.company.lock_date(), field="costing_method")
    changing = sorted(item for item, (old, new) in governed.items() if old is not new)
    uow.valuation.lock_items(changing)
    _refuse_unvalued(uow, changing)
    now = ctx.now()
    after = uow.costing_changes.newest_move_id()
    change_id = uow.costing_changes.add(
        item_id=item_id, method=method.value if method else None, previous=previous.value if previous else None,
        effective_at=now, after_move_id=after, created_at=now)
    if not changing:
        return
    by_item: dict[int, dict[tuple[int, int | None], PoolSnapshot]] = defaultdict(dict)
    for (item, location, lot), pool in uow.valuation.pools(changing).items():
        by_item[item][(location, lot or None)] = pool
    converted: dict[tuple[int, int, int], PoolSnapshot] = {}
    for item in changing:
        old, new = governed[item]
        lots = uow.costing_changes.lots_at(item, (now, after)) if new is CostingMethod.SPECIFIC_LOT else {}
        pools = convert(by_item[item], old, MethodChange((now, after, change_id), new, lots))
        converted.update({(item, location, lot or 0): pool for (location, lot), pool in pools.items()})
    # A posting effective before the change is valued across it: services/valuation/posting_values.py re-values
    # the item's history for a posting before its newest change.
    check_pools(uow, converted)
    uow.costing_changes.drop_pools(changing)
    uow.valuation.save_pools(converted)


def _refuse_unvalued(uow: UnitOfWork, item_ids: list[int]) -> None:
    if not item_ids:
        return
    wanted = set(item_ids)
    gaps = [row for row in uow.opening_values.gaps(internal_kinds=[kind.value for kind in INTERNAL_KINDS],
                                                   by_lot_method=CostingMethod.SPECIFIC_LOT.value)
            if int(row.item_id) in wanted]
    if gaps:
        skus = ", ".join(sorted({item.sku for item in uow.items.by_ids(sorted({int(r.item_id) for r in gaps}))
                                 .values()}))
        raise Conflict(f"costing_method: {skus} hold stock without cost layers (it predates valuation); "
                       "give it opening layers first (onhand valuation open)")


def _item_costing(uow: UnitOfWork, item_id: int) -> ItemCosting:
    item = uow.items.get(item_id)
    assert item is not None
    method = methods_for(uow, [item_id])[item_id]
    own = uow.valuation.item_methods([item_id]).get(item_id)
    return ItemCosting(item.sku, method.value, own)
