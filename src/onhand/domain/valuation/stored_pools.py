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


def change_of_whole(key: PoolRow, stored: StoredPool, now: PoolSnapshot) -> PoolChange:
    """What to write for a pool read whole (`stored`) that holds `now`, as a change: the
    fewest oldest layers taken whole such that `now` is the rest — the first perhaps split (a
    FIFO take, an average's one layer revalued) — and new layers after them. Anything else (a
    LIFO take from the newest layer) is every layer taken and `now`'s written anew."""
    read = stored.snapshot.layers
    layers = [layer for layer in now.layers if layer.quantity > 0]  # as a pool is stored
    for taken in range(len(read) + 1):
        kept = read[taken:]
        if len(layers) < len(kept):
            continue
        if kept and (layers[0].opened_at, layers[0].origin) != (kept[0].opened_at, kept[0].origin):
            continue
        if list(layers[1:len(kept)]) != list(kept[1:]):
            continue
        changed = (stored.positions[taken], layers[0]) if kept and layers[0] != kept[0] else None
        added = tuple((stored.end + n, layer) for n, layer in enumerate(layers[len(kept):]))
        return PoolChange(
            key, stored.positions[taken - 1] if taken else None, changed, added,
            now.deficit_quantity, now.deficit_value, now.last_unit_cost, layer_count=len(layers),
            layers_quantity=sum((layer.quantity for layer in layers), Decimal(0)),
            layers_value=sum((layer.value for layer in layers), Decimal(0)),
        )
    raise AssertionError("unreachable: with every layer taken, all of `now` is new")
