"""Valuing moves with cost layers: FIFO, moving average and specific lots."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.errors import InvalidInput
from onhand.domain.money import allocate
from onhand.domain.purchasing.landed_costs import AllocationMethod
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.move_roles import MoveRole, role_of
from onhand.domain.valuation.report import ItemPools, snapshot_at, valuation_report
from onhand.domain.valuation.revaluation import apply_changes, revalue
from onhand.domain.valuation.value_history import (
    CostMove,
    ValueBasis,
    build_output_value,
    receipt_value,
    value_history,
)

D = Decimal
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NY, LA, TRANSIT = 1, 2, 3
FIFO, AVERAGE, SPECIFIC = CostingMethod.FIFO, CostingMethod.MOVING_AVERAGE, CostingMethod.SPECIFIC_LOT


def at(day: int, hour: int = 0) -> datetime:
    return T0 + timedelta(days=day, hours=hour)


def receipt(move_id: int, day: int, qty: str, cost: str, location: int = NY, lot: int | None = None) -> CostMove:
    return CostMove(move_id, at(day), MoveRole.RECEIPT, D(qty), destination=location, lot=lot, unit_cost=D(cost))


def out(move_id: int, day: int, qty: str, location: int = NY, lot: int | None = None,
        role: MoveRole = MoveRole.SHIPMENT) -> CostMove:
    return CostMove(move_id, at(day), role, D(qty), source=location, lot=lot)


def transfer(move_id: int, day: int, qty: str, source: int, destination: int, lot: int | None = None) -> CostMove:
    return CostMove(move_id, at(day), MoveRole.TRANSFER, D(qty), source=source, destination=destination, lot=lot)


TEXTBOOK = [receipt(1, 0, "10", "5.00"), receipt(2, 1, "10", "6.00"), out(3, 2, "15")]


def test_fifo_ships_the_oldest_layers_first():
    run = value_history(FIFO, TEXTBOOK)
    assert run.values[3].value == D("80.00")
    assert (run.final.quantity, run.final.value) == (D(5), D("30.00"))


def test_moving_average_ships_at_the_running_average():
    run = value_history(AVERAGE, TEXTBOOK)
    assert run.values[3].value == D("82.50")
    assert (run.final.quantity, run.final.value) == (D(5), D("27.50"))


def test_the_order_the_moves_are_given_in_does_not_matter_only_their_effective_time():
    assert value_history(FIFO, reversed(TEXTBOOK)).values == value_history(FIFO, TEXTBOOK).values


def test_an_average_that_does_not_divide_keeps_its_residue_in_stock_until_the_last_unit_leaves():
    moves = [receipt(1, 0, "3", "1.00"), receipt(2, 0, "3", "1.01")]
    moves += [out(3, 1, "1"), out(4, 1, "1"), out(5, 1, "4")]
    run = value_history(AVERAGE, moves)
    assert run.values[3].value == D("1.005000")
    assert sum(run.values[m].value for m in (3, 4, 5)) == D("6.03")
    assert run.final.value == 0


def test_a_lot_keeps_its_own_cost_under_specific_identification():
    moves = [receipt(1, 0, "10", "5.00", lot=100), receipt(2, 1, "10", "9.00", lot=200), out(3, 2, "4", lot=200)]
    assert value_history(SPECIFIC, moves).values[3].value == D("36.00")
    assert value_history(FIFO, moves).values[3].value == D("20.00")  # FIFO ignores which lot left


def test_a_transfer_moves_value_with_the_stock_and_changes_no_total():
    moves = [receipt(1, 0, "10", "5.00"), receipt(2, 1, "10", "6.00"), transfer(3, 2, "12", NY, TRANSIT)]
    moves += [transfer(4, 3, "12", TRANSIT, LA), out(5, 4, "11", LA)]
    for method in (FIFO, SPECIFIC):
        run = value_history(method, moves[:4])
        assert run.values[3].value == D("62.00")  # 10 × 5 + 2 × 6
        assert run.final.value == D("110.00")
        assert run.final.pools[(LA, None)].value == D("62.00")
        # The oldest units travelled, so they leave LA first.
        assert value_history(method, moves).values[5].value == D("56.00")
    average = value_history(AVERAGE, moves[:4])
    assert average.values[3].value == D("66.00") and average.final.value == D("110.00")


def test_a_transferred_lot_keeps_its_cost_at_the_destination():
    moves = [receipt(1, 0, "5", "2.00", lot=7), receipt(2, 0, "5", "3.00", lot=8), transfer(3, 1, "5", NY, LA, lot=8)]
    run = value_history(SPECIFIC, [*moves, out(4, 2, "2", LA, lot=8)])
    assert run.values[4].value == D("6.00")


def test_a_customer_return_comes_back_at_the_cost_it_left_with():
    moves = [*TEXTBOOK, receipt(4, 3, "10", "9.00")]
    moves.append(CostMove(5, at(4), MoveRole.RETURN, D(3), destination=NY, returns_moves=(3,)))
    run = value_history(FIFO, moves)
    assert run.values[5].value == D("16.000000")  # 80 / 15 × 3
    assert run.values[5].basis is ValueBasis.RETURNED


def test_a_return_of_several_shipments_comes_back_at_their_value_per_unit_together():
    moves = [*TEXTBOOK[:2], out(3, 2, "8", NY), out(4, 3, "4", NY)]  # 40.00 (8 @ 5), then 2 @ 5 + 2 @ 6
    moves.append(CostMove(5, at(4), MoveRole.RETURN, D(3), destination=NY, returns_moves=(3, 4)))
    run = value_history(FIFO, moves)
    assert run.values[5].value == D("15.500000")  # (40 + 22) / 12 × 3


def test_a_positive_adjustment_comes_in_at_the_current_cost_unless_one_is_given():
    moves = [*TEXTBOOK, CostMove(4, at(3), MoveRole.ADJUSTMENT_IN, D(2), destination=NY)]
    moves.append(CostMove(5, at(3, 1), MoveRole.ADJUSTMENT_IN, D(1), destination=NY, unit_cost=D("7.25")))
    run = value_history(FIFO, moves)
    assert (run.values[4].value, run.values[4].basis) == (D("12.00"), ValueBasis.CURRENT_COST)
    assert (run.values[5].value, run.values[5].basis) == (D("7.25"), ValueBasis.UNIT_COST)


def test_an_adjustment_with_no_cost_known_is_valued_at_zero_and_flagged():
    run = value_history(FIFO, [CostMove(1, at(0), MoveRole.ADJUSTMENT_IN, D(2), destination=NY)])
    assert (run.values[1].value, run.values[1].basis) == (D(0), ValueBasis.NO_COST)


def test_a_receipt_without_a_cost_is_refused():
    with pytest.raises(InvalidInput) as error:
        value_history(FIFO, [CostMove(1, at(0), MoveRole.RECEIPT, D(2), destination=NY)])
    assert error.value.field == "moves[1].unit_cost"


def test_scrap_negative_adjustments_and_build_consumption_take_layers_like_a_shipment():
    for role in (MoveRole.SCRAP, MoveRole.ADJUSTMENT_OUT, MoveRole.BUILD_CONSUMPTION, MoveRole.SUPPLIER_RETURN):
        run = value_history(FIFO, [*TEXTBOOK[:2], out(3, 2, "15", role=role)])
        assert run.values[3].value == D("80.00")


def test_a_build_output_comes_in_at_exactly_the_value_its_build_consumed():
    component_a = value_history(FIFO, [receipt(1, 0, "10", "1.10"), out(2, 1, "6", role=MoveRole.BUILD_CONSUMPTION)])
    component_b = value_history(AVERAGE, [receipt(3, 0, "3", "1.00"), receipt(4, 0, "3", "2.00"),
                                          out(5, 1, "1", role=MoveRole.BUILD_CONSUMPTION)])
    consumed = [component_a.values[2].value, component_b.values[5].value]
    value = build_output_value(consumed, D(3))
    assembly = value_history(FIFO, [CostMove(6, at(1), MoveRole.BUILD_OUTPUT, D(3), destination=NY, value=value)])
    assert assembly.values[6].value == sum(consumed) == D("8.10")
    assert build_output_value(consumed, D(3), labour_per_unit=D("0.50"), overhead_per_unit=D("0.25")) == D("10.35")


def test_landed_costs_shared_by_value_or_by_quantity_raise_the_receipt_layers():
    lines = [(D(10), D("5.00")), (D(30), D("1.00"))]  # 50.00 and 30.00 of goods
    by_value = allocate(D("40.00"), [q * c for q, c in lines], step=D("0.01"))
    by_quantity = allocate(D("40.00"), [q for q, _ in lines], step=D("0.01"))
    assert (by_value, by_quantity) == ([D("25.00"), D("15.00")], [D("10.00"), D("30.00")])
    assert AllocationMethod.VALUE and receipt_value(D("5.00"), D(10), by_value[0], D(1)) == D("75.00")
    # In a foreign currency at 0.9 company units per unit: (30 + 30) × 0.9.
    value = receipt_value(D("1.00"), D(30), by_quantity[1], D("0.9"))
    moves = [CostMove(1, at(0), MoveRole.RECEIPT, D(30), destination=NY, value=value), out(2, 1, "3")]
    run = value_history(FIFO, moves)
    assert (value, run.values[2].value) == (D("54.00"), D("5.40"))


def test_shipping_more_than_is_there_values_the_shortfall_at_the_last_cost_and_settles_it_later():
    moves = [receipt(1, 0, "2", "5.00"), out(2, 1, "3"), receipt(3, 2, "4", "6.00")]
    run = value_history(FIFO, moves)
    assert run.values[2].value == D("15.00")  # 2 × 5 + 1 short × 5
    assert run.values[3].variance == D("1.00")  # the short unit cost 6, not 5: to COGS
    assert (run.final.quantity, run.final.value) == (D(3), D("18.00"))


def test_role_of_reads_the_two_locations():
    assert role_of(LocationKind.SUPPLIER, LocationKind.WAREHOUSE) is MoveRole.RECEIPT
    assert role_of(LocationKind.WAREHOUSE, LocationKind.TRANSIT) is MoveRole.TRANSFER
    assert role_of(LocationKind.STORE, LocationKind.CUSTOMER) is MoveRole.SHIPMENT
    with pytest.raises(InvalidInput):
        role_of(LocationKind.SUPPLIER, LocationKind.CUSTOMER)


def test_a_backdated_receipt_revalues_only_the_later_moves_it_affects():
    history = [receipt(1, 0, "10", "5.00"), receipt(2, 0, "10", "5.00", location=LA), out(3, 2, "5"),
               out(4, 2, "5", location=LA), out(5, 3, "5")]
    stored = value_history(FIFO, history)
    checkpoint = value_history(FIFO, history[:2]).final
    late = receipt(6, 1, "10", "2.00")  # before the NY shipments, at NY only
    result = revalue(FIFO, checkpoint, [*history[2:], late], stored.values)
    assert {c.move.id: c.delta for c in result.changes} == {6: D("20.00")}  # FIFO: the older layers still leave first
    assert result.skipped == 1  # LA's shipment was not looked at
    late_first = CostMove(7, at(-1), MoveRole.RECEIPT, D(10), destination=NY, unit_cost=D("2.00"))
    result = revalue(FIFO, None, [*history, late_first], stored.values)
    assert {c.move.id: c.delta for c in result.changes} == {7: D("20.00"), 3: D("-15.00"), 5: D("-15.00")}
    full = value_history(FIFO, [*history, late_first])
    assert apply_changes(stored.values, result) == full.values
    assert stored.final.merged(result.pools, result.position) == full.final


def test_the_valuation_report_gives_value_per_location_and_lot_and_ages_the_stock():
    moves = [receipt(1, 0, "10", "5.00", lot=1), receipt(2, 40, "10", "6.00", lot=2), out(3, 41, "5", lot=1),
             transfer(4, 42, "5", NY, LA, lot=2)]
    when = at(50)
    fifo = snapshot_at(FIFO, when, moves)
    report = valuation_report(
        when, [ItemPools(9, "SKU-9", fifo)], lot_quantities={(9, NY): {1: D(5), 2: D(5)}, (9, LA): {2: D(5)}}
    )
    assert [(p.location, p.lot, p.quantity, p.value) for p in report.positions] == [
        (NY, 1, D(5), D("30.00")), (NY, 2, D(5), D("30.00")), (LA, 2, D(5), D("25.00"))
    ]  # FIFO sent NY's oldest units (5 @ 5.00) to LA; NY's pool (10 @ 6.00) is shared by lot quantity
    assert (report.total_quantity, report.total_value) == (D(15), D("85.00"))
    assert [(b.label, b.quantity, b.value) for b in report.aging] == [
        ("0-30", D(10), D("60.00")), ("31-60", D(5), D("25.00")), ("61-90", 0, 0), ("91-180", 0, 0), ("181+", 0, 0)
    ]
    oversold = valuation_report(when, [ItemPools(9, "SKU-9", fifo)], lot_quantities={(9, NY): {1: D(-1), 2: D(11)}})
    assert [(p.location, p.lot, p.quantity, p.value) for p in oversold.positions] == [
        (NY, None, D(10), D("60.00")), (LA, None, D(5), D("25.00"))
    ]  # a lot below zero at NY takes no share: NY's pool stays one position
    specific = valuation_report(when, [ItemPools(9, "SKU-9", snapshot_at(SPECIFIC, when, moves))])
    assert [(p.location, p.lot, p.value) for p in specific.positions] == [
        (NY, 1, D("25.00")), (NY, 2, D("30.00")), (LA, 2, D("30.00"))
    ]
    earlier = snapshot_at(FIFO, at(10), moves)
    assert (earlier.quantity, earlier.value) == (D(10), D("50.00"))
