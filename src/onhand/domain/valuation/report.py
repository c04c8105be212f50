"""The inventory valuation report at any moment: quantity and value per item, location and lot.

The report reads the items' pools at the moment asked (`snapshot_at`: the nearest
checkpoint before it, plus the moves up to it). Under specific identification a pool
is one lot at one location, so each line is exact. Under FIFO and moving average a
pool holds every lot of the item at a location; given the lot quantities at that
moment (from the quantity ledger), its value is shared among the lots in proportion
to quantity, to 10⁻⁶, the residue to the largest lot, so lines always sum to the pool.

Aging buckets count the units of each layer by the age of the move that brought them
in (a transfer keeps the age; a moving-average layer carries the average age).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from onhand.domain.errors import InvalidInput
from onhand.domain.money import allocate
from onhand.domain.valuation.cost_layers import VALUE_STEP, ZERO, CostingMethod
from onhand.domain.valuation.method_changes import MethodChange
from onhand.domain.valuation.value_history import CostMove, MoveValue, ValuationSnapshot, value_history

DEFAULT_AGING_DAYS = (30, 60, 90, 180)


@dataclass(frozen=True, slots=True)
class Position:
    item_id: int
    sku: str
    location: int
    lot: int | None
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True)
class AgingBucket:
    label: str  # "0-30", "31-60", …, "181+"
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class ValuationReport:
    at: datetime
    positions: tuple[Position, ...]
    aging: tuple[AgingBucket, ...]

    @property
    def total_quantity(self) -> Decimal:
        return sum((p.quantity for p in self.positions), ZERO)

    @property
    def total_value(self) -> Decimal:
        return sum((p.value for p in self.positions), ZERO)


@dataclass(frozen=True, slots=True)
class ItemPools:
    item_id: int
    sku: str
    snapshot: ValuationSnapshot


def snapshot_at(
    method: CostingMethod,
    at: datetime,
    moves: Iterable[CostMove],
    *,
    checkpoint: ValuationSnapshot | None = None,
    earlier: Mapping[int, MoveValue] | None = None,
    changes: Iterable[MethodChange] = (),
) -> ValuationSnapshot:
    """An item's pools just after `at`: the checkpoint (taken at or before `at`) plus later moves up to `at`,
    across the changes of costing method made after the checkpoint and by `at` (`method`: the one at the checkpoint)."""
    if checkpoint is not None and checkpoint.position is not None and checkpoint.position[0] > at:
        raise InvalidInput("checkpoint", "the checkpoint is later than the moment asked for")
    after = checkpoint.position if checkpoint is not None else None
    chosen = [m for m in moves if m.at <= at and (after is None or m.position > after)]
    crossed = [change for change in changes if change.position[0] <= at]
    return value_history(method, chosen, start=checkpoint, earlier=earlier, changes=crossed).final


def _labels(days: Sequence[int]) -> list[str]:
    labels, low = [], 0
    for high in days:
        labels.append(f"{low}-{high}")
        low = high + 1
    labels.append(f"{low}+")
    return labels


def valuation_report(
    at: datetime,
    items: Iterable[ItemPools],
    *,
    lot_quantities: Mapping[tuple[int, int], Mapping[int | None, Decimal]] | None = None,
    aging_days: Sequence[int] = DEFAULT_AGING_DAYS,
) -> ValuationReport:
    """Positions (sorted by SKU, location, lot) and aging of the given items' pools at `at`.

    `lot_quantities[(item_id, location)]` gives the lot quantities there (only needed
    for lot-tracked items under FIFO or moving average).
    """
    if list(aging_days) != sorted(set(aging_days)) or not aging_days or aging_days[0] <= 0:
        raise InvalidInput("aging_days", "must be increasing whole numbers of days greater than zero")
    labels = _labels(aging_days)
    bucket_quantity = [ZERO] * len(labels)
    bucket_value = [ZERO] * len(labels)
    positions: list[Position] = []
    for item in items:
        for (location, lot), pool in item.snapshot.pools.items():
            quantity, value = pool.quantity, pool.value
            if quantity == 0 and value == 0:
                continue
            lots = (lot_quantities or {}).get((item.item_id, location))
            # Shared by lot quantity; a lot oversold there (below zero) has no share to take:
            # the pool then stays one position.
            if lot is None and lots and sum(lots.values(), ZERO) == quantity and quantity > 0 \
                    and all(amount >= 0 for amount in lots.values()):
                codes = sorted(lots, key=lambda code: -1 if code is None else code)
                shares = allocate(value, [lots[code] for code in codes], step=VALUE_STEP)
                positions.extend(
                    Position(item.item_id, item.sku, location, code, lots[code], value)
                    for code, value in zip(codes, shares, strict=True)
                )
            else:
                positions.append(Position(item.item_id, item.sku, location, lot, quantity, value))
            for layer in pool.layers:
                age = (at - layer.opened_at).days
                index = next((i for i, high in enumerate(aging_days) if age <= high), len(aging_days))
                bucket_quantity[index] += layer.quantity
                bucket_value[index] += layer.value
    positions.sort(key=lambda p: (p.sku, p.location, -1 if p.lot is None else p.lot))
    aging = tuple(AgingBucket(label, q, v) for label, q, v in zip(labels, bucket_quantity, bucket_value, strict=True))
    return ValuationReport(at, tuple(positions), aging)
