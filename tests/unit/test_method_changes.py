"""Changes of costing method in an item's history: the pools re-layered, total value unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.method_changes import MethodChange, SettingChange, timeline
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.revaluation import revalue
from onhand.domain.valuation.value_history import CostMove, value_history
from tests.hypothesis_profiles import examples

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
NY, LA = 1, 2
FIFO, AVERAGE, BY_LOT = CostingMethod.FIFO, CostingMethod.MOVING_AVERAGE, CostingMethod.SPECIFIC_LOT
LIFO = CostingMethod.LIFO


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def receipt(move_id: int, hours: float, quantity: int, cost: str, lot: int | None = None) -> CostMove:
    return CostMove(move_id, at(hours), MoveRole.RECEIPT, D(quantity), destination=NY, lot=lot, unit_cost=D(cost))


def shipment(move_id: int, hours: float, quantity: int, lot: int | None = None) -> CostMove:
    return CostMove(move_id, at(hours), MoveRole.SHIPMENT, D(quantity), source=NY, lot=lot)


def change(hours: float, after_move: int, method: CostingMethod, lots=None) -> MethodChange:
    return MethodChange((at(hours), after_move, 1), method, lots or {})


def test_fifo_to_moving_average_collapses_the_layers_into_their_average_and_ships_at_it():
    moves = [receipt(1, 0, 10, "5.00"), receipt(2, 1, 10, "6.00"), shipment(3, 3, 15)]
    run = value_history(FIFO, moves, changes=[change(2, 2, AVERAGE)])
    assert run.values[3].value == D("82.50")
    assert (run.final.quantity, run.final.value) == (5, D("27.50"))
    assert run.final.method is AVERAGE
    (layer,) = run.final.pools[(NY, None)].layers
    assert layer.quantity == 5


def test_the_value_on_hand_is_unchanged_at_the_change():
    moves = [receipt(1, 0, 3, "1.00"), receipt(2, 1, 7, "2.333333")]
    before = value_history(FIFO, moves)
    after = value_history(FIFO, moves, changes=[change(2, 2, AVERAGE)])
    assert after.final.value == before.final.value == D("3") + D("16.333331")
    assert after.final.quantity == 10


def test_moving_average_to_fifo_keeps_one_layer_at_the_average_and_later_receipts_queue_behind_it():
    moves = [receipt(1, 0, 10, "5.00"), receipt(2, 1, 10, "6.00"), receipt(3, 3, 10, "8.00"), shipment(4, 4, 25)]
    run = value_history(AVERAGE, moves, changes=[change(2, 2, FIFO)])
    # 20 @ 5.50 first (110.00), then 5 of the 8.00 layer (40.00)
    assert run.values[4].value == D("150.00")
    assert run.final.value == D("40.00")


def test_to_specific_lot_each_lot_gets_its_quantity_at_the_pools_average():
    moves = [receipt(1, 0, 10, "5.00", lot=7), receipt(2, 1, 10, "6.00", lot=8), shipment(3, 2, 5, lot=8)]
    split = change(3, 3, BY_LOT, {NY: {7: D(10), 8: D(5)}})
    run = value_history(FIFO, [*moves, shipment(4, 4, 5, lot=8)], changes=[split])
    # FIFO left 5 @ 5.00 + 10 @ 6.00 = 85.00 for 15 units; each lot at 85/15 a unit
    assert run.values[4].value == D("28.333333")
    assert run.final.pools[(NY, 7)].value == D("56.666667")
    assert run.final.value == D("85.00") - D("28.333333")


def test_from_specific_lot_to_fifo_keeps_the_lots_layers_in_receipt_order():
    moves = [receipt(1, 0, 10, "6.00", lot=8), receipt(2, 1, 10, "5.00", lot=7), shipment(3, 3, 15)]
    run = value_history(BY_LOT, moves, changes=[change(2, 2, FIFO)])
    assert run.values[3].value == D("60.00") + D("25.00")


def test_the_effective_method_follows_the_items_own_else_the_companys():
    p = [(at(n), n, n) for n in range(4)]
    settings_ = [
        SettingChange(p[0], None, AVERAGE, FIFO),  # company fifo → average: the item follows
        SettingChange(p[1], 5, FIFO, None),  # its own: fifo
        SettingChange(p[2], None, FIFO, AVERAGE),  # company back to fifo: no change for the item
        SettingChange(p[3], 5, None, FIFO),  # follows the company again (fifo): no change
    ]
    found = timeline(FIFO, None, settings_)
    assert found.initial is FIFO
    assert [(c.position, c.method) for c in found.changes] == [(p[0], AVERAGE), (p[1], FIFO)]
    assert found.method_at((at(0), 0)) is FIFO  # the change comes after the move at its own position
    assert found.method_at((at(0), 1)) is AVERAGE


@st.composite
def history(draw):
    moves, quantities = [], {7: 0, 8: 0}
    for move_id in range(1, draw(st.integers(2, 14)) + 1):
        lot = draw(st.sampled_from([7, 8]))
        if quantities[lot] > 0 and draw(st.booleans()):
            quantity = draw(st.integers(1, quantities[lot]))
            moves.append(shipment(move_id, move_id, quantity, lot=lot))
            quantities[lot] -= quantity
        else:
            quantity = draw(st.integers(1, 9))
            moves.append(receipt(move_id, move_id, quantity, str(D(draw(st.integers(1, 999))) / 100), lot=lot))
            quantities[lot] += quantity
    return moves


@settings(max_examples=examples(150), deadline=None)
@given(
    moves=history(),
    methods=st.lists(st.sampled_from([FIFO, LIFO, AVERAGE, BY_LOT]), min_size=2, max_size=4),
    where=st.lists(st.integers(0, 14), min_size=3, max_size=3),
    backdated=st.integers(0, 14),
)
def test_revaluing_across_changes_equals_a_full_rerun(moves, methods, where, backdated):
    """A backdated receipt before (or after) changes of method: `revalue` == a full re-run."""
    def lots_at(position, history_):
        held = {7: D(0), 8: D(0)}
        for move in history_:
            if move.position <= position:
                held[move.lot] += move.quantity if move.role.is_inbound else -move.quantity
        return {NY: {lot: q for lot, q in held.items() if q}}

    def changes(history_):
        found = []
        for n, method in enumerate(methods[1:]):
            position = (at(sorted(where)[n % 3] + 0.5), 0, n)
            found.append(MethodChange(position, method, lots_at(position[:2], history_)))
        return found

    late = receipt(99, backdated + 0.25, 4, "7.77", lot=7)
    before = value_history(methods[0], moves, changes=changes(moves))
    everything = [*moves, late]
    oracle = value_history(methods[0], everything, changes=changes(everything))
    result = revalue(methods[0], None, everything, before.values, changes=changes(everything))
    stored = {**before.values, **{c.move.id: c.after for c in result.changes}}
    assert stored == oracle.values
    assert result.pools == dict(oracle.final.pools)
    value_in = sum((oracle.values[m.id].value for m in everything if m.role.is_inbound), D(0))
    value_out = sum((oracle.values[m.id].value for m in everything if m.role.is_outbound), D(0))
    assert oracle.final.value == value_in - value_out  # no change of method made or lost value
