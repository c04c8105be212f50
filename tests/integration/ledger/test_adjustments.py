from decimal import Decimal

import pytest
from sqlalchemy import text

from onhand import services
from onhand.domain.errors import InsufficientStock, InvalidInput, NotFound
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, level, move_count


@pytest.fixture
def stocked(onhand):
    add_item(onhand, "W-1")
    add_item(onhand, "TEA", tracking="lot", unit="kg")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W-1", 10)
    adjust(onhand, "NY", "TEA", "2.5", lot="L1", expiry_date="2027-01-01")
    return onhand


def test_found_stock_raises_on_hand_and_lost_stock_lowers_it(stocked):
    adjust(stocked, "NY", "W-1", -3, reason="damaged")
    assert level(stocked, "W-1") == (7, 0, 7)


def test_an_adjustment_is_one_posting_with_a_move_per_line(stocked):
    posting = services.adjustments.post_adjustment(
        stocked, PostAdjustment(location="NY", reason="found", reference="RECOUNT-7",
        lines=[StockLine("W-1", 1), StockLine("TEA", "0.125", "L1")]),
    )
    assert [(m.sku, m.from_location, m.to_location, m.quantity) for m in posting.moves] == [
        ("W-1", "ADJUSTMENT", "NY", 1),
        ("TEA", "ADJUSTMENT", "NY", Decimal("0.125")),
    ]
    assert posting.reference == "RECOUNT-7" and posting.reason == "found"


def test_taking_more_than_is_on_hand_reports_every_short_line_and_writes_nothing(stocked):
    before = move_count(stocked)
    with pytest.raises(InsufficientStock) as error:
        services.adjustments.post_adjustment(
            stocked, PostAdjustment(location="NY", reason="lost",
            lines=[StockLine("W-1", -11), StockLine("TEA", "-3", "L1")]),
        )
    assert [(s.sku, s.requested, s.available) for s in error.value.shortages] == [
        ("W-1", 11, 10),
        ("TEA", 3, Decimal("2.5")),
    ]
    assert move_count(stocked) == before
    assert level(stocked, "W-1") == (10, 0, 10)


def test_a_good_line_is_not_posted_when_another_line_is_bad(stocked):
    before = move_count(stocked)
    with pytest.raises(NotFound) as error:
        services.adjustments.post_adjustment(
            stocked, PostAdjustment(location="NY", reason="found",
            lines=[StockLine("W-1", 5), StockLine("NOPE", 1)]),
        )
    assert error.value.field == "lines[1].sku"
    assert move_count(stocked) == before and level(stocked, "W-1")[0] == 10


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (StockLine("W-1", "1.5"), "lines[0].quantity"),
        (StockLine("W-1", "0"), "lines[0].quantity"),
        (StockLine("W-1", "ten"), "lines[0].quantity"),
        (StockLine("TEA", "1"), "lines[0].lot"),
        (StockLine("W-1", 1, "L1"), "lines[0].lot"),
        (StockLine("TEA", "-1", "NOT-A-LOT"), "lines[0].lot"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(stocked, line, field):
    before = move_count(stocked)
    with pytest.raises((InvalidInput, NotFound)) as error:
        services.adjustments.post_adjustment(stocked, PostAdjustment(location="NY", lines=[line], reason="found"))
    assert error.value.field == field
    assert move_count(stocked) == before


def test_an_unknown_reason_or_location_is_refused(stocked):
    with pytest.raises(NotFound) as error:
        adjust(stocked, "NY", "W-1", 1, reason="because")
    assert error.value.field == "reason"
    with pytest.raises(NotFound) as error:
        adjust(stocked, "MARS", "W-1", 1)
    assert error.value.field == "location"


def test_stock_cannot_be_adjusted_at_a_virtual_location(stocked):
    with pytest.raises(InvalidInput, match="virtual"):
        adjust(stocked, "CUSTOMER", "W-1", 1)


def test_a_location_configured_to_allow_it_may_go_negative_and_says_so(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "POPUP", kind="store", allow_negative=True)
    adjust(onhand, "POPUP", "W-1", -2, reason="correction")
    report = services.stock.stock_levels(onhand, sku="W-1", group_by="location")
    (row,) = report.levels
    assert row.on_hand == -2 and row.available == 0 and row.negative
    assert report.warnings == ("W-1 is negative at POPUP: -2",)
    assert services.integrity.verify(onhand).ok


def test_a_serial_number_can_be_in_stock_only_once(onhand):
    add_item(onhand, "PHONE", tracking="serial")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    adjust(onhand, "NY", "PHONE", 1, lot="SN-001")
    with pytest.raises(Exception, match="already in stock"):
        adjust(onhand, "LA", "PHONE", 1, lot="SN-001")
    assert level(onhand, "PHONE") == (1, 0, 1)


def test_the_ledger_refuses_updates_and_deletes(stocked):
    with stocked.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("UPDATE moves SET quantity = quantity * 2"))
    with stocked.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("DELETE FROM postings"))
    assert level(stocked, "W-1")[0] == 10
