"""Found stock at a given unit cost: adjustments, counts and opening stock imports."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance


@pytest.fixture
def shop(onhand):
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "W")
    add_item(onhand, "TEA", tracking="lot")
    return onhand


def _values(onhand, posting_id):
    values = services.valuation_reports.move_values(onhand, posting_id).moves
    return [(v.role, v.quantity, v.value, v.basis) for v in values]


def _total(onhand):
    return services.valuation_reports.valuation_report(onhand, group_by="item").total_value


def test_found_stock_comes_in_at_the_given_unit_cost_instead_of_the_current_cost(shop):
    adjust(shop, "NY", "W", 10, unit_cost="5.00")
    found = adjust(shop, "NY", "W", 2, unit_cost="8.25")
    assert _values(shop, found.id) == [("adjustment_in", 2, D("16.5"), "unit_cost")]
    lost = adjust(shop, "NY", "W", -11, reason="lost")  # FIFO: 10 @ 5.00, then 1 @ 8.25
    assert _values(shop, lost.id) == [("adjustment_out", 11, D("58.25"), "layers")]
    assert _total(shop) == D("8.25")
    assert_books_balance(shop)


def test_a_zero_unit_cost_is_a_cost_and_no_unit_cost_is_the_current_one(shop):
    adjust(shop, "NY", "W", 4, unit_cost="3")
    free = adjust(shop, "NY", "W", 4, unit_cost="0")
    assert _values(shop, free.id) == [("adjustment_in", 4, 0, "unit_cost")]
    current = adjust(shop, "NY", "W", 2)
    assert _values(shop, current.id) == [("adjustment_in", 2, D("3"), "current_cost")]  # 12 / 8 × 2


def test_a_unit_cost_on_a_line_that_removes_stock_is_refused_naming_the_line(shop):
    adjust(shop, "NY", "W", 10, unit_cost="5")
    lines = [StockLine("W", "1", unit_cost="5"), StockLine("W", "2"), StockLine("W", "-3", unit_cost="4")]
    with pytest.raises(InvalidInput) as error:
        services.adjustments.post_adjustment(shop, PostAdjustment(location="NY", lines=lines, reason="found"))
    assert error.value.field == "lines[2].unit_cost"
    assert "removes 3" in error.value.reason
    assert _total(shop) == D("50")  # nothing changed


@pytest.mark.parametrize(("given", "reason"), [
    ("-1", "must not be negative"), ("abc", "is not a number"), ("1.0000001", "more than 6 decimals"),
    ("NaN", "is not a number"),
])
def test_a_bad_unit_cost_is_refused_naming_the_field(shop, given, reason):
    with pytest.raises(InvalidInput) as error:
        adjust(shop, "NY", "W", 1, unit_cost=given)
    assert (error.value.field, reason in error.value.reason) == ("lines[0].unit_cost", True)


def test_a_count_that_finds_stock_values_it_at_the_given_cost_and_refuses_one_that_loses(shop):
    adjust(shop, "NY", "W", 10, unit_cost="5")
    counted = services.counts.post_stock_count(
        shop, PostStockCount(location="NY", lines=[StockLine("W", "13", unit_cost="7")])
    )
    assert _values(shop, counted.id) == [("adjustment_in", 3, D("21"), "unit_cost")]
    with pytest.raises(InvalidInput) as error:
        services.counts.post_stock_count(
            shop, PostStockCount(
                location="NY", lines=[StockLine("TEA", "2", lot="L1"), StockLine("W", "12", unit_cost="7")])
        )
    assert error.value.field == "lines[1].unit_cost"
    # A count that agrees with the books moves nothing, cost or not.
    agreed = services.counts.post_stock_count(shop, PostStockCount(
        location="NY", lines=[StockLine("W", "13", unit_cost="1")]))
    assert agreed.moves == ()
    assert _total(shop) == D("71")


def test_a_relocation_takes_no_unit_cost(shop):
    adjust(shop, "NY", "W", 5, unit_cost="2")
    with pytest.raises(InvalidInput) as error:
        services.relocations.move_stock(
            shop, MoveStock(source="NY", destination="LA", lines=[StockLine("W", "1", unit_cost="9")])
        )
    assert error.value.field == "lines[0].unit_cost"


def test_opening_stock_imported_from_csv_comes_in_at_its_unit_cost_column(shop):
    text = "location,sku,quantity,lot,unit_cost\nNY,W,10,,4.5\nLA,TEA,2,L9,12\nLA,W,3,,\n"
    report = services.imports.import_opening_stock(shop, text)
    assert report.ok
    values = _values(shop, report.posting_id)
    assert values == [
        ("adjustment_in", 10, D("45"), "unit_cost"),
        ("adjustment_in", 2, D("24"), "unit_cost"),
        ("adjustment_in", 3, 0, "no_cost"),
    ]
    bad = services.imports.import_opening_stock(shop, "location,sku,quantity,unit_cost\nNY,W,1,-2\n")
    assert [(e.line, e.field) for e in bad.errors] == [(2, "unit_cost")]
