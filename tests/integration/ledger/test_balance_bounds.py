"""No balance leaves ±MAX_TOTAL_QUANTITY (10^12 units): what is stored stays exact.

The guard is in the guarded SQL itself (the balance upsert), so concurrent writers
cannot together push a balance past it; a posting that would is refused whole, naming
the item and location.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput, OutOfRange
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.quantities import MAX_QUANTITY, MAX_TOTAL_QUANTITY
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at, move_count
from tests.integration.ledger.test_concurrency import THREADS, race

LINE = MAX_QUANTITY  # the most one line may carry: 10^9
NEAR = MAX_TOTAL_QUANTITY - LINE  # 999 full lines


def _found(onhand, location, *lines):
    return services.adjustments.post_adjustment(
        onhand, PostAdjustment(
            location=location, reason="found", lines=[StockLine(sku, quantity) for sku, quantity in lines])
    )


@pytest.fixture
def near_the_bound(onhand):
    """A holds 10^12 − 10^9 at NY (999 full lines); LA, and NEG (may go negative), hold nothing."""
    add_item(onhand, "A")
    add_item(onhand, "B")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "NEG", allow_negative=True)
    _found(onhand, "NY", *[("A", LINE)] * 999)
    return onhand


def test_stock_that_would_take_a_balance_past_the_bound_is_refused_naming_item_and_location(near_the_bound):
    before = move_count(near_the_bound)
    with pytest.raises(OutOfRange) as error:
        _found(near_the_bound, "NY", ("B", 1), ("A", LINE), ("A", 1))
    assert (error.value.sku, error.value.location, error.value.lot) == ("A", "NY", None)
    assert error.value.total == MAX_TOTAL_QUANTITY + 1
    assert error.value.to_dict()["code"] == "out_of_range"
    assert move_count(near_the_bound) == before  # the whole posting, B too
    assert at(near_the_bound, "A", "NY") == NEAR and at(near_the_bound, "B", "NY") == 0
    _found(near_the_bound, "NY", ("A", LINE))  # exactly the bound fits
    assert at(near_the_bound, "A", "NY") == MAX_TOTAL_QUANTITY
    assert_books_balance(near_the_bound)


def test_a_virtual_location_is_bounded_too(near_the_bound):
    # Stock found anywhere comes from ADJUSTMENT, which holds −(10^12 − 10^9) of A already.
    _found(near_the_bound, "LA", ("A", LINE))  # ADJUSTMENT: exactly −10^12
    with pytest.raises(OutOfRange) as error:
        _found(near_the_bound, "LA", ("A", 1))
    assert (error.value.sku, error.value.location) == ("A", "ADJUSTMENT")
    assert error.value.total == -MAX_TOTAL_QUANTITY - 1
    assert at(near_the_bound, "A", "LA") == LINE
    assert_books_balance(near_the_bound)


def test_many_balances_changed_in_one_statement_are_bounded_too(near_the_bound):
    # Four unguarded rows (NEG and ADJUSTMENT for A and B) go in one batch, undone and
    # applied one by one when a row leaves the range, to name it.
    before = move_count(near_the_bound)
    with pytest.raises(OutOfRange) as error:
        _found(near_the_bound, "NEG", ("B", 5), ("A", 2), ("A", LINE))
    assert (error.value.sku, error.value.location) == ("A", "ADJUSTMENT")
    assert move_count(near_the_bound) == before
    assert at(near_the_bound, "B", "NEG") == 0
    assert_books_balance(near_the_bound)


def test_one_posting_changing_a_balance_by_more_than_the_bound_is_refused_before_it_is_written(onhand):
    add_item(onhand, "A")
    add_place(onhand, "NY")
    with pytest.raises(OutOfRange) as error:
        _found(onhand, "NY", *[("A", LINE)] * 1001)
    assert (error.value.sku, error.value.total) == ("A", MAX_TOTAL_QUANTITY + LINE)
    assert move_count(onhand) == 0


def test_racing_adders_fill_a_balance_exactly_to_the_bound_and_no_further(near_the_bound):
    step = LINE // 10  # the room left (10^9) holds exactly ten of these

    def add(_number, _attempt):
        try:
            adjust(near_the_bound, "NY", "A", step)
            return "added"
        except OutOfRange:
            return "refused"

    outcomes = race(add, attempts=2)
    assert outcomes == {"added": 10, "refused": THREADS * 2 - 10}
    assert at(near_the_bound, "A", "NY") == MAX_TOTAL_QUANTITY
    assert_books_balance(near_the_bound)


def test_a_single_line_may_not_exceed_the_line_bound(onhand):
    add_item(onhand, "A")
    add_place(onhand, "NY")
    with pytest.raises(InvalidInput, match="too large") as error:
        adjust(onhand, "NY", "A", Decimal(LINE) + 1)
    assert error.value.field == "lines[0].quantity"
