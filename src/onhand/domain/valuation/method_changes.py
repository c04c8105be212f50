"""Changes of costing method in an item's history, and what a change does to its pools.

A company (or one item) may change its costing method while stock is on hand. The
change is a dated event in the item's history, placed like a move: at (effective_at,
the newest move id when it was made), so it takes effect *after* every move at or
before that position and before every later one. Valuation (`valuation.py`,
`revaluation.py`) converts the item's pools when its walk crosses a change, and goes
on under the new method; a backdated move before the change is therefore valued under
the old method and carried across the change like any other stock.

At the change the stock on hand is re-layered with its **total value unchanged**, per
location, exactly (values are Decimal; nothing is rounded here beyond `allocate`'s
exact shares):

- FIFO → moving average: the pool's layers collapse into one (their total value and
  quantity; dated by the quantity-weighted time of its units, as a blend is);
- moving average → FIFO: the average layer stays, as the pool's one layer;
- FIFO / average → specific lot: each lot at the location (its on hand at that
  moment, from the quantity ledger) gets a share of the pool's value by quantity — the
  pool's average cost — as one layer (a pool holding every lot does not know which
  lot its layers came from once FIFO took them oldest first regardless of lot);
- specific lot → FIFO: the lots' layers are kept, in receipt order (time, origin);
  → moving average: they are averaged into one layer.

Stock taken beyond what was there (a deficit) keeps its quantity and value: merged
lots sum their deficits; on a split, lots below zero share the deficit by quantity. So
value in − value out == value left still holds across a change, and the journal needs
no entry for it.

This module imports only the standard library and the domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from onhand.domain.money import allocate
from onhand.domain.valuation.cost_layers import VALUE_STEP, ZERO, CostingMethod, Layer, PoolSnapshot

# (effective_at, the newest move id when it was made, the change's own id): after that move, before the next.
ChangePosition = tuple[datetime, int, int]
PoolKey = tuple[int, int | None]  # (location id, lot id or None), as in valuation.py


@dataclass(frozen=True, slots=True)
class MethodChange:
    """One item's method becomes `method` after the move at `position[:2]`.

    `lots` (needed only when the change splits pools by lot: → specific lot) gives each
    location's on hand per lot at that position, from the quantity ledger.
    """

    position: ChangePosition
    method: CostingMethod
    lots: Mapping[int, Mapping[int, Decimal]] = field(default_factory=dict)

    @property
    def splits_lots(self) -> bool:
        return self.method is CostingMethod.SPECIFIC_LOT


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A recorded change of a setting: the company's method (`item_id` None) or an item's own.

    For an item, `method` None means "follows the company's method again"; `previous` is
    what the setting was before (so the history before the first change is known).
    """

    position: ChangePosition
    item_id: int | None
    method: CostingMethod | None
    previous: CostingMethod | None


@dataclass(frozen=True)
class MethodTimeline:
    """An item's costing method over its history: where it started, and where it changed."""

    initial: CostingMethod
    changes: tuple[MethodChange, ...] = ()

    def method_at(self, position: tuple[datetime, int] | None) -> CostingMethod:
        """The method the item's pools are under just after the move at `position` (None: before any)."""
        method = self.initial
        if position is None:
            return method
        for change in self.changes:
            if change.position < position:  # a change at a move's own position comes after it
                method = change.method
        return method

    def after(self, position: tuple[datetime, int] | None) -> tuple[MethodChange, ...]:
        """The changes still to cross when valuing from just after the move at `position`."""
        if position is None:
            return self.changes
        return tuple(change for change in self.changes if not change.position < position)

    def until(self, at: datetime) -> tuple[MethodChange, ...]:
        """The changes made at or before the moment `at`."""
        return tuple(change for change in self.changes if change.position[0] <= at)


def timeline(company_now: CostingMethod, own_now: CostingMethod | None,
             settings: Iterable[SettingChange]) -> MethodTimeline:
    """An item's effective method over time from the company's changes and its own (sorted by position).

    The method in force is the item's own when it has one, else the company's; a change
    of either that leaves the method in force as it was is no change for the item.
    """
    ordered = sorted(settings, key=lambda s: s.position)
    first_company = next((s for s in ordered if s.item_id is None), None)
    first_own = next((s for s in ordered if s.item_id is not None), None)
    company = first_company.previous if first_company and first_company.previous else company_now
    own = first_own.previous if first_own else own_now
    initial = current = own or company
    changes: list[MethodChange] = []
    for setting in ordered:
        if setting.item_id is None:
            company = setting.method or company
        else:
            own = setting.method
        method = own or company
        if method is not current:
            changes.append(MethodChange(setting.position, method))
            current = method
    return MethodTimeline(initial, tuple(changes))


def convert(pools: Mapping[PoolKey, PoolSnapshot], old: CostingMethod, change: MethodChange,
            ) -> dict[PoolKey, PoolSnapshot]:
    """The pools of one item re-layered under the change's method, each location's value unchanged."""
    new = change.method
    if new is old:
        return dict(pools)
    by_location: dict[int, list[PoolSnapshot]] = {}
    for (location, _lot), pool in sorted(pools.items(), key=lambda e: (e[0][0], -1 if e[0][1] is None else e[0][1])):
        by_location.setdefault(location, []).append(pool)
    converted: dict[PoolKey, PoolSnapshot] = {}
    for location, found in by_location.items():
        merged = _merge(found) if old is CostingMethod.SPECIFIC_LOT else found[0]
        if new is CostingMethod.SPECIFIC_LOT:
            converted.update(_split(location, merged, change.lots.get(location, {}), change.position[0]))
            continue
        converted[(location, None)] = _blend(merged) if new is CostingMethod.MOVING_AVERAGE else merged
    return converted


def _merge(pools: Sequence[PoolSnapshot]) -> PoolSnapshot:
    """One location's lot pools as one pool: layers in receipt order, deficits summed."""
    layers = tuple(sorted((layer for pool in pools for layer in pool.layers), key=lambda x: (x.opened_at, x.origin)))
    merged = PoolSnapshot(layers, sum((p.deficit_quantity for p in pools), ZERO),
                          sum((p.deficit_value for p in pools), ZERO))
    last = next((p.last_unit_cost for p in pools if p.last_unit_cost is not None), None)
    if merged.quantity > 0:
        last = merged.value / merged.quantity
    return PoolSnapshot(layers, merged.deficit_quantity, merged.deficit_value, last)


def _blend(pool: PoolSnapshot) -> PoolSnapshot:
    """A pool's layers as one average layer (its units' quantity-weighted time, the first origin)."""
    if len(pool.layers) <= 1:
        return pool
    return PoolSnapshot((_one_layer(pool.layers),), pool.deficit_quantity, pool.deficit_value, pool.last_unit_cost)


def _one_layer(layers: Sequence[Layer], quantity: Decimal | None = None, value: Decimal | None = None) -> Layer:
    total = sum((layer.quantity for layer in layers), ZERO)
    first = layers[0]
    opened = first.opened_at
    if total > 0:
        opened += sum(((layer.opened_at - first.opened_at) * float(layer.quantity / total) for layer in layers[1:]),
                      opened - opened)
    return Layer(opened, first.origin, total if quantity is None else quantity,
                 sum((layer.value for layer in layers), ZERO) if value is None else value)


def _split(location: int, pool: PoolSnapshot, lots: Mapping[int, Decimal], at: datetime,
           ) -> dict[PoolKey, PoolSnapshot]:
    """One location's pool of all lots as a pool per lot, by the lots' on hand there."""
    held = sorted((lot, q) for lot, q in lots.items() if q > 0)
    owed = sorted((lot, -q) for lot, q in lots.items() if q < 0)
    found: dict[PoolKey, PoolSnapshot] = {}
    if held:
        layer_value = sum((layer.value for layer in pool.layers), ZERO)
        shares = allocate(layer_value, [q for _lot, q in held], step=VALUE_STEP)
        template = pool.layers or (Layer(at, 0, ZERO, ZERO),)
        for (lot, quantity), value in zip(held, shares, strict=True):
            found[(location, lot)] = PoolSnapshot((_one_layer(template, quantity, value),), ZERO, ZERO,
                                                  value / quantity)
    if owed:
        shares = allocate(pool.deficit_value, [q for _lot, q in owed], step=VALUE_STEP)
        for (lot, quantity), value in zip(owed, shares, strict=True):
            found[(location, lot)] = PoolSnapshot((), quantity, value, pool.last_unit_cost)
    rest_layers = () if held else pool.layers
    rest_deficit = (ZERO, ZERO) if owed else (pool.deficit_quantity, pool.deficit_value)
    if rest_layers or rest_deficit[0] or rest_deficit[1] or not found:
        # Value the ledger shows no lot for (stock that predates valuation): it stays, at no lot.
        found[(location, None)] = PoolSnapshot(rest_layers, *rest_deficit, pool.last_unit_cost)
    return found
