"""No value leaves ±MAX_MONEY (10^12): a move's value, a cost layer's, a pool's.

Before, such a value reached the database as an integer it cannot hold: a 500 on
both engines. Now the posting is refused whole, naming the item and location.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from onhand import services
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, move_values
from onhand.domain.errors import OutOfRange
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.money import MAX_MONEY
from onhand.domain.quantities import MAX_QUANTITY
from onhand.domain.valuation.commands import ValueOpeningStock
from onhand.services.valuation.opening import OpeningCost
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at, move_count


@pytest.fixture
def shop(onhand):
    add_item(onhand, "A")
    add_place(onhand, "NY")
    return onhand


def test_found_stock_worth_more_than_money_can_hold_is_refused_naming_item_and_location(shop):
    with pytest.raises(OutOfRange) as error:
        adjust(shop, "NY", "A", MAX_QUANTITY, unit_cost=str(MAX_MONEY))  # worth 10^21
    assert (error.value.sku, error.value.location) == ("A", "NY")
    assert "value" in error.value.what and error.value.limit == MAX_MONEY
    assert move_count(shop) == 0
    assert_books_balance(shop)


def test_a_pool_may_hold_value_up_to_the_bound_and_no_more(shop):
    adjust(shop, "NY", "A", MAX_QUANTITY, unit_cost="600")  # 6 × 10^11
    with pytest.raises(OutOfRange) as error:
        adjust(shop, "NY", "A", MAX_QUANTITY, unit_cost="400.000001")
    assert (error.value.sku, error.value.location, error.value.what) == ("A", "NY", "the cost pool's value")
    assert error.value.total == MAX_MONEY + 1000
    assert at(shop, "A", "NY") == MAX_QUANTITY
    adjust(shop, "NY", "A", MAX_QUANTITY, unit_cost="400")  # exactly the bound fits
    report = services.valuation_reports.valuation_report(shop)
    assert report.total_value == MAX_MONEY
    assert_books_balance(shop)


def test_a_backdated_posting_that_would_push_a_later_pool_past_the_bound_is_refused(shop, clock):
    adjust(shop, "NY", "A", MAX_QUANTITY, unit_cost="1000")  # the pool: exactly 10^12
    clock.advance(hours=1)
    with pytest.raises(OutOfRange) as error:
        services.adjustments.post_adjustment(
            shop, PostAdjustment(location="NY", reason="found", effective_at="2026-03-01T00:00:00Z",
            lines=[services.postings.StockLine("A", "1", unit_cost="1")]),
        )
    assert (error.value.sku, error.value.location) == ("A", "NY")
    assert at(shop, "A", "NY") == MAX_QUANTITY


def test_an_opening_valuation_worth_more_than_money_can_hold_is_refused(shop):
    adjust(shop, "NY", "A", MAX_QUANTITY)
    with shop.engine.begin() as conn:  # stock from before valuation: no layers
        for table in (cost_layers, cost_pools, move_values):
            conn.execute(delete(table))
    with pytest.raises(OutOfRange) as error:
        services.opening_valuation.value_opening_stock(shop, ValueOpeningStock(
            lines=[OpeningCost("A", "1000.01", location="NY")]))
    assert (error.value.sku, error.value.location) == ("A", "NY")
    assert services.opening_valuation.unvalued_stock(shop)  # still unvalued: nothing was written
