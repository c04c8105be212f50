"""A cost pool as a posting reads and writes it: the layers it touches, not every open one.

A long FIFO (or specific-lot) pool is read in part: its oldest layers, enough for what the
posting takes, and the totals of the others (`Rest`, from the pool's stored count and
totals). After valuing, `change_of` says what to write: the oldest layers taken whole,
the first one left if a take split it, the new layers (after the rest), the figures.

This module imports only the standard library and the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.valuation.cost_layers import Layer, Pool, PoolSnapshot, Rest

# (item id, location id, lot id or 0): one pool, as stored.
PoolRow = tuple[int, int, int]


@dataclass(frozen=True)
class StoredPool:
    """A pool as read: every layer (`rest` None), or its oldest layers and the rest's totals."""

    snapshot: PoolSnapshot  # the layers read, oldest first
    positions: tuple[int, ...]  # where each of them is stored
    rest: Rest | None
    end: int  # one past the newest layer's position: where new layers go
    layer_count: int  # of the whole pool


@dataclass(frozen=True)
class PoolChange:
    """What a posting did to a pool read in part."""

    key: PoolRow
    taken_through: int | None  # the oldest layers up to this position were taken whole
    changed: tuple[int, Layer] | None  # the first layer left, split by a take, at its position
    added: tuple[tuple[int, Layer], ...]  # new layers at their positions, after the rest
    deficit_quantity: Decimal
    deficit_value: Decimal
    last_unit_cost: Decimal | None
    layer_count: int
    layers_quantity: Decimal
    layers_value: Decimal


def change_of(key: PoolRow, stored: StoredPool, pool: Pool) -> PoolChange:
    """What to write for `pool`, valued from `stored` (read in part). Its read layers only
    ever leave from the front (a take), the first one left perhaps split; new ones go after
    the rest (`Pool._insert_after_rest`)."""
    read = stored.snapshot.layers
    left = pool.read_left()
    taken = len(read) - len(left)
    changed = (stored.positions[taken], left[0]) if left and left[0] != read[taken] else None
    rest = stored.rest
    assert rest is not None
    live = pool.live()
    return PoolChange(
        key, stored.positions[taken - 1] if taken else None, changed,
        tuple((stored.end + n, layer) for n, layer in enumerate(pool.after)),
        pool.deficit_quantity, pool.deficit_value, pool.last_unit_cost,
        layer_count=stored.layer_count - taken + len(pool.after),
        layers_quantity=sum((layer.quantity for layer in live), rest.quantity),
        layers_value=sum((layer.value for layer in live), rest.value),
    )
