"""Opening valuation: stock on hand from before valuation existed gets its cost layers.

Given a database whose stock predates valuation (its layers, pools and move values
removed, as a database migrated to 0007 with stock already on hand has none), the
valuation report lists the unvalued stock and an opening valuation values it.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import delete

from onhand import services
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, move_values
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.domain.valuation.commands import SetItemCostingMethod, ValueOpeningStock
from onhand.services.valuation.opening import OpeningCost, opening_costs_from_csv
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance


def _forget_valuation(onhand):
    """What a database whose stock was posted before revision 0007 looks like."""
    with onhand.engine.begin() as conn:
        for table in (cost_layers, cost_pools, move_values):
            conn.execute(delete(table))


@pytest.fixture
def before_valuation(onhand):
    """W: 10 at NY, 4 in bin NY-A1, 5 at LA; TEA lots L1 (3) and L2 (2) at NY — none of it valued."""
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_place(onhand, "LA")
    add_item(onhand, "W")
    add_item(onhand, "TEA", tracking="lot")
    adjust(onhand, "NY", "W", 10, unit_cost="1")
    adjust(onhand, "NY-A1", "W", 4)
    adjust(onhand, "LA", "W", 5)
    adjust(onhand, "NY", "TEA", 3, lot="L1")
    adjust(onhand, "NY", "TEA", 2, lot="L2")
    _forget_valuation(onhand)
    return onhand


def _open(onhand, *lines, idempotency_key=None, **fields):
    made = [ln if isinstance(ln, OpeningCost) else OpeningCost(*ln) for ln in lines]
    return services.opening_valuation.value_opening_stock(
        onhand, ValueOpeningStock(lines=made, **fields), idempotency_key=idempotency_key
    )


def _unvalued(onhand):
    return [(u.sku, u.location, u.lot, u.on_hand, u.valued) for u in services.opening_valuation.unvalued_stock(onhand)]


def test_the_report_lists_stock_without_layers_and_an_opening_valuation_values_it(before_valuation):
    onhand = before_valuation
    report = services.valuation_reports.valuation_report(onhand)
    assert report.total_value == 0
    assert [(u.sku, u.location, u.unvalued) for u in report.unvalued] == [
        ("TEA", "NY", 5), ("W", "LA", 5), ("W", "NY", 10), ("W", "NY-A1", 4),
    ]
    text = "sku,unit_cost,location\nW,2.50,NY\nW,3,LA\nTEA,1.20,\nW,2.75,NY-A1\n"
    opened = _open(onhand, *opening_costs_from_csv(text), reference="go-live")
    assert [(ln.sku, ln.location, ln.quantity, ln.value) for ln in opened.lines] == [
        ("W", "NY", 10, D("25")), ("W", "LA", 5, D("15")), ("TEA", "NY", 5, D("6")), ("W", "NY-A1", 4, D("11")),
    ]
    assert (opened.reference, opened.total_value) == ("go-live", D("57"))
    after = services.valuation_reports.valuation_report(onhand)
    assert (after.total_value, after.unvalued) == (D("57"), ())
    lost = adjust(onhand, "LA", "W", -2, reason="lost")
    assert services.valuation_reports.move_values(onhand, lost.id).total_value == D("6")  # out of the opening layer
    assert_books_balance(onhand)


def test_a_place_that_already_has_layers_is_refused_and_nothing_changes(before_valuation):
    onhand = before_valuation
    adjust(onhand, "LA", "W", 1, unit_cost="9")  # LA is valued from now on, partly
    with pytest.raises(Conflict) as error:
        _open(onhand, ("W", "2", "NY"), ("W", "2", "LA"))
    assert error.value.message.startswith("lines[1]: W at LA already has cost layers")
    assert services.valuation_reports.valuation_report(onhand).total_value == D("9")
    # Without a location the line means every place of the item, LA included.
    with pytest.raises(Conflict):
        _open(onhand, ("W", "2"))


def test_units_that_left_before_valuation_are_settled_as_a_variance(before_valuation):
    onhand = before_valuation
    adjust(onhand, "LA", "W", -3, reason="lost")  # 3 leave LA with no layers: owed at no cost
    assert ("W", "LA", None, 2, -3) in _unvalued(onhand)
    opened = _open(onhand, ("W", "4", "LA"))
    (line,) = opened.lines
    assert (line.quantity, line.value, line.variance) == (5, D("20"), D("12"))
    report = services.valuation_reports.valuation_report(onhand, group_by="location")
    assert [(ln.location, ln.quantity, ln.value) for ln in report.lines if ln.sku == "W"] == [("LA", 2, D("8"))]


def test_lots_of_a_fifo_pool_may_get_their_own_costs(before_valuation):
    onhand = before_valuation
    opened = _open(onhand, ("TEA", "2", None, "L1"), ("TEA", "3.5", "NY", "L2"))
    assert [(ln.lot, ln.quantity, ln.value) for ln in opened.lines] == [("L1", 3, D("6")), ("L2", 2, D("7"))]
    with pytest.raises(InvalidInput) as error:
        _open(onhand, ("W", "1", "NY"), ("W", "1", "NY"))
    assert error.value.field == "lines[1]"  # the same stock valued twice
    assert services.valuation_reports.valuation_report(onhand).total_value == D("13")


def test_specific_lot_items_are_valued_per_lot(before_valuation):
    onhand = before_valuation
    services.costing.set_item_costing_method(onhand, SetItemCostingMethod(
        sku="TEA", method="specific_lot"))  # allowed: nothing is valued yet
    assert [u for u in _unvalued(onhand) if u[0] == "TEA"] == [("TEA", "NY", "L1", 3, 0), ("TEA", "NY", "L2", 2, 0)]
    _open(onhand, ("TEA", "4", None, "L2"))
    assert [u for u in _unvalued(onhand) if u[0] == "TEA"] == [("TEA", "NY", "L1", 3, 0)]
    report = services.valuation_reports.valuation_report(onhand, group_by="lot")
    assert [(ln.lot, ln.value) for ln in report.lines if ln.sku == "TEA"] == [("L2", D("8"))]


@pytest.mark.parametrize(("line", "error", "field"), [
    (OpeningCost("W", None), InvalidInput, "lines[0].unit_cost"),
    (OpeningCost("W", "-1"), InvalidInput, "lines[0].unit_cost"),
    (OpeningCost("NOPE", "1"), NotFound, "lines[0].sku"),
    (OpeningCost("W", "1", location="NOWHERE"), NotFound, "lines[0].location"),
    (OpeningCost("W", "1", lot="L1"), InvalidInput, "lines[0].lot"),
    (OpeningCost("TEA", "1", lot="L7"), NotFound, "lines[0].lot"),
    (OpeningCost("TEA", "1", location="LA"), InvalidInput, "lines[0]"),
])
def test_a_bad_line_is_refused_naming_its_field(before_valuation, line, error, field):
    with pytest.raises(error) as raised:
        _open(before_valuation, line)
    assert raised.value.field == field
    assert services.valuation_reports.valuation_report(before_valuation).total_value == 0


def test_an_opening_costs_file_needs_its_columns(onhand):
    with pytest.raises(InvalidInput) as error:
        opening_costs_from_csv("sku,location\nW,NY\n")
    assert error.value.field == "column 'unit_cost'"


def test_a_retried_opening_valuation_with_its_key_values_once(before_valuation):
    first = _open(before_valuation, ("W", "1", "LA"), idempotency_key="open-1")
    assert _open(before_valuation, ("W", "1", "LA"), idempotency_key="open-1") == first
    assert services.valuation_reports.valuation_report(before_valuation).total_value == D("5")
