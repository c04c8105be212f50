"""LIFO: the newest layers leave first; everything else is FIFO's machinery."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from onhand.domain.valuation.cost_layers import CostingMethod, Layer, NeedsWholePool, Pool, PoolSnapshot, Rest
from onhand.domain.valuation.method_changes import MethodChange
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.revaluation import apply_changes, revalue
from onhand.domain.valuation.value_history import CostMove, value_history

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NY, LA = 1, 2
FIFO, LIFO, AVERAGE = CostingMethod.FIFO, CostingMethod.LIFO, CostingMethod.MOVING_AVERAGE


def at(day: int) -> datetime:
    return T0 + timedelta(days=day)


def receipt(move_id: int, day: int, qty: str, cost: str, location: int = NY) -> CostMove:
    return CostMove(move_id, at(day), MoveRole.RECEIPT, D(qty), destination=location, unit_cost=D(cost))


def out(move_id: int, day: int, qty: str, location: int = NY) -> CostMove:
    return CostMove(move_id, at(day), MoveRole.SHIPMENT, D(qty), source=location)


TEXTBOOK = [receipt(1, 0, "10", "5.00"), receipt(2, 1, "10", "6.00"), out(3, 2, "15")]


def test_lifo_ships_the_newest_layers_first_and_leaves_the_oldest():
    run = value_history(LIFO, TEXTBOOK)
    assert run.values[3].value == D("85.00")  # 10 @ 6.00 + 5 @ 5.00
    (left,) = run.final.pools[(NY, None)].layers
    assert (left.origin, left.quantity, left.value) == (1, D(5), D("25.00"))


def test_a_partial_take_splits_the_newest_layer_and_its_residue_leaves_with_its_last_unit():
    moves = [receipt(1, 0, "1", "9.00"), receipt(2, 1, "3", "1.00"), receipt(3, 2, "3", "3.33333333")]
    moves += [out(4, 3, "1"), out(5, 3, "1"), out(6, 3, "1")]
    run = value_history(LIFO, moves)
    assert run.values[4].value == D("3.333333")  # a third of the newest layer, 10.000000
    assert sum(run.values[m].value for m in (4, 5, 6)) == D("10.00")
    assert run.final.value == D("12.00")  # the older layers untouched


def test_a_shortfall_under_lifo_is_valued_at_the_last_cost_and_settled_by_the_next_receipt():
    run = value_history(LIFO, [receipt(1, 0, "2", "4.00"), out(2, 1, "5"), receipt(3, 2, "10", "5.00")])
    assert run.values[2].value == D("20.00")  # 2 @ 4.00 + 3 short at the last cost, 4.00
    assert run.values[3].variance == D("3.00")  # the 3 owed cost 5.00, not 4.00
    assert (run.final.quantity, run.final.value) == (D(7), D("35.00"))


def test_a_transferred_layer_keeps_its_date_so_newer_stock_at_the_destination_leaves_before_it():
    moves = [receipt(1, 0, "5", "5.00"), receipt(2, 1, "5", "6.00", location=LA),
             CostMove(3, at(2), MoveRole.TRANSFER, D(5), source=NY, destination=LA), out(4, 3, "5", location=LA)]
    run = value_history(LIFO, moves)
    assert run.values[4].value == D("30.00")  # the units received at LA on day 1 are the newest
    assert run.final.value == D("25.00")


def test_a_backdated_receipt_revalues_the_later_lifo_issues_as_a_full_rerun_does():
    history = [receipt(1, 0, "10", "5.00"), out(2, 2, "4"), receipt(3, 3, "10", "7.00"), out(4, 4, "12")]
    stored = value_history(LIFO, history)
    assert (stored.values[2].value, stored.values[4].value) == (D("20.00"), D("80.00"))
    late = receipt(5, 1, "10", "6.00")  # before the first issue: now the newest layer there
    result = revalue(LIFO, value_history(LIFO, history[:1]).final, [*history[1:], late], stored.values)
    full = value_history(LIFO, [*history, late])
    assert (full.values[2].value, full.values[4].value) == (D("24.00"), D("82.00"))
    assert {c.move.id: c.delta for c in result.changes} == {5: D("60.00"), 2: D("4.00"), 4: D("2.00")}
    assert apply_changes(stored.values, result) == full.values
    assert stored.final.merged(result.pools, result.position) == full.final


def test_fifo_to_lifo_keeps_the_layers_and_later_issues_take_the_newest():
    moves = [receipt(1, 0, "10", "5.00"), receipt(2, 1, "10", "6.00"), out(3, 3, "15")]
    run = value_history(FIFO, moves, changes=[MethodChange((at(2), 2, 1), LIFO)])
    assert run.values[3].value == D("85.00")
    assert run.final.method is LIFO
    before = value_history(FIFO, moves[:2], changes=[MethodChange((at(2), 2, 1), LIFO)])
    assert before.final.pools == value_history(FIFO, moves[:2]).final.pools  # re-layered as they were


def test_lifo_to_moving_average_blends_what_lifo_left():
    moves = [receipt(1, 0, "10", "5.00"), receipt(2, 1, "10", "6.00"), out(3, 2, "5"), out(4, 4, "5")]
    run = value_history(LIFO, moves, changes=[MethodChange((at(3), 3, 1), AVERAGE)])
    assert run.values[3].value == D("30.00")
    assert run.values[4].value == D("26.666667")  # the 15 left, 50.00 + 30.00, at their average
    assert run.final.value == D("53.333333")


def test_a_lifo_take_from_a_pool_read_in_part_asks_for_the_whole_pool():
    read = PoolSnapshot((Layer(at(0), 1, D(5), D(25)),))
    pool = Pool(LIFO, snapshot=read, rest=Rest(D(5), D(30), (at(1), 2)))
    with pytest.raises(NeedsWholePool):
        pool.take(D(1))
