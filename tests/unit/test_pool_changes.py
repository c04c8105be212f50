"""A pool read whole is written as a change when it is one (domain/valuation/stored_pools.py);
a pool read in part is whole again from what was written (`Pool.whole`, for a checkpoint)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from onhand.domain.valuation.cost_layers import CostingMethod, Layer, Pool, PoolSnapshot, Rest
from onhand.domain.valuation.stored_pools import StoredPool, change_of_whole

KEY = (1, 2, 0)


def _layer(n: int, quantity: str, value: str) -> Layer:
    return Layer(datetime(2026, 12, n, tzinfo=UTC), n, Decimal(quantity), Decimal(value))


def _stored(*layers: Layer) -> StoredPool:
    positions = tuple(range(3, 3 + len(layers)))
    return StoredPool(PoolSnapshot(layers), positions, None, (positions[-1] + 1) if positions else 0, len(layers))


A, B, C = _layer(1, "5", "10"), _layer(2, "4", "12"), _layer(3, "2", "8")


def test_a_take_from_the_oldest_splitting_one_is_a_change() -> None:
    left = _layer(2, "1", "3")  # B split
    change = change_of_whole(KEY, _stored(A, B, C), PoolSnapshot((left, C)))
    assert (change.taken_through, change.changed, change.added) == (3, (4, left), ())
    assert (change.layer_count, change.layers_quantity, change.layers_value) == (2, Decimal(3), Decimal(11))


def test_new_layers_go_after_the_last_stored_one() -> None:
    new = _layer(4, "7", "21")
    change = change_of_whole(KEY, _stored(A, B), PoolSnapshot((A, B, new), last_unit_cost=Decimal(3)))
    assert (change.taken_through, change.changed, change.added, change.last_unit_cost) == (None, None, ((5, new),),
                                                                                          Decimal(3))


def test_every_layer_taken_and_a_deficit_left() -> None:
    change = change_of_whole(KEY, _stored(A, B), PoolSnapshot((), Decimal(2), Decimal(6)))
    assert (change.taken_through, change.added, change.layer_count) == (4, (), 0)
    assert (change.deficit_quantity, change.deficit_value) == (Decimal(2), Decimal(6))


def test_a_take_from_the_newest_takes_every_layer_and_writes_the_rest_anew() -> None:
    left = _layer(2, "1", "3")  # LIFO: C taken, B split
    change = change_of_whole(KEY, _stored(A, B, C), PoolSnapshot((A, left)))
    assert (change.taken_through, change.changed, change.added) == (5, None, ((6, A), (7, left)))


def test_empty_layers_are_not_stored() -> None:
    change = change_of_whole(KEY, _stored(A), PoolSnapshot((_layer(1, "0", "0"), B)))
    assert (change.taken_through, change.added) == (3, ((4, B),))


def test_a_pool_read_in_part_is_whole_again_from_what_was_written() -> None:
    D, E = _layer(4, "3", "9"), _layer(5, "6", "30")
    whole = Pool(CostingMethod.FIFO, snapshot=PoolSnapshot((A, B, C, D)))
    part = Pool(CostingMethod.FIFO, snapshot=PoolSnapshot((A, B)), rest=Rest(Decimal(5), Decimal(17), (D.opened_at, 4)))
    for pool in (whole, part):
        pool.take(Decimal(7))  # A, and 2 of B
        pool.add(E)
    written = PoolSnapshot((_layer(2, "2", "6"), C, D, E))  # as the change left it stored
    assert part.whole(written) == whole.snapshot()
