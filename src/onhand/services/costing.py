"""Costing settings: the company's costing method and an item's own (overriding it).

The company chooses FIFO or moving average (default FIFO); an item may override it,
and a lot-tracked item may use specific identification by lot. A method is fixed once
moves of what it governs have been valued (re-valuing history is not wired yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from onhand.domain.cost_layers import CostingMethod
from onhand.domain.errors import Conflict, InvalidInput
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

COMPANY_METHODS = (CostingMethod.FIFO, CostingMethod.MOVING_AVERAGE)


@dataclass(frozen=True)
class ItemCosting:
    sku: str
    method: str  # the method in force
    own_method: str | None  # the item's override, None: the company's


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


def set_company_costing_method(ctx: ServiceContext, method: str, *, idempotency_key: str | None = None) -> str:
    chosen = parse_method(method, "costing_method", COMPANY_METHODS)

    def work(uow: UnitOfWork) -> int:
        if uow.valuation.company_method() != chosen.value:
            if uow.valuation.has_values():
                raise Conflict("costing_method: moves have been valued already; the company's method is fixed")
            uow.valuation.set_company_method(chosen.value)
        return 1

    return run_write(ctx, work, lambda uow, _id: uow.valuation.company_method(), action="set_costing_method",
                     idempotency_key=idempotency_key, request={"method": chosen.value})


def get_item_costing(ctx: ServiceContext, sku: str) -> ItemCosting:
    with ctx.reading() as uow:
        return _item_costing(uow, resolve.item(uow, sku).id)


def set_item_costing_method(
    ctx: ServiceContext, sku: str, method: str | None, *, idempotency_key: str | None = None
) -> ItemCosting:
    """Give an item its own method, or (`None` or "") let it follow the company's."""
    chosen = parse_method(method, "costing_method") if method is not None and method.strip() else None

    def work(uow: UnitOfWork) -> int:
        item = resolve.item(uow, sku)
        if chosen is CostingMethod.SPECIFIC_LOT and not item.tracks_lots:
            raise InvalidInput(
                "costing_method", f"item {item.sku!r} has no lots; specific_lot needs a lot-tracked item"
            )
        current = _item_costing(uow, item.id)
        new = chosen.value if chosen else None
        if current.own_method != new:
            if (new or uow.valuation.company_method()) != current.method and uow.valuation.has_values(item.id):
                raise Conflict(f"costing_method: moves of {item.sku} have been valued already; its method is fixed")
            uow.valuation.set_item_method(item.id, new)
        return item.id

    return run_write(ctx, work, _item_costing, action="set_item_costing_method",
                     idempotency_key=idempotency_key, request={"sku": sku, "method": chosen})


def _item_costing(uow: UnitOfWork, item_id: int) -> ItemCosting:
    item = uow.items.get(item_id)
    assert item is not None
    own = uow.valuation.item_methods([item_id]).get(item_id)
    return ItemCosting(item.sku, own or uow.valuation.company_method(), own)
