"""Ledger commands: adjustments, counts and relocations as frozen records of typed fields,
their canonical form and fingerprint, and lines read from text once, naming the field."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from onhand.domain.calendar import read_moment
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount, StockLine, parse_stock_line


def an_adjustment(**changes) -> PostAdjustment:
    fields = {
        "location": "NY", "reason": "found", "reference": "ADJ-1", "note": "shelf 3",
        "lines": [StockLine("TEA", D("2.5"), lot="L1", expiry_date=date(2027, 1, 31), unit_cost=D("4.10"))],
        "effective_at": date(2026, 3, 1),
    }
    return PostAdjustment(**(fields | changes))


def test_an_adjustment_is_frozen_and_keeps_its_lines_as_a_tuple():
    command = an_adjustment()
    assert isinstance(command.lines, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.location = "LA"  # type: ignore[misc]
    assert hash(MoveStock("NY", "LA", [StockLine("W", D(1))])) == hash(MoveStock("NY", "LA", (StockLine("W", D(1)),)))


def test_the_canonical_form_has_decimals_and_dates_as_text():
    assert canonical(an_adjustment()) == {
        "location": "NY", "reason": "found", "reference": "ADJ-1", "note": "shelf 3", "effective_at": "2026-03-01",
        "lines": [{"sku": "TEA", "quantity": "2.5", "lot": "L1", "expiry_date": "2027-01-31",
                   "production_date": None, "unit_cost": "4.10"}],
    }
    assert canonical(PostStockCount("NY", [StockLine("W", D(0))]))["reason"] == "count"


def test_the_fingerprint_is_the_one_of_the_request_dict_it_replaces():
    """The dict the services built by hand: the line records' fields as given, effective_at as its text."""
    line = StockLine("TEA", D("2.5"), lot="L1", expiry_date=date(2027, 1, 31), unit_cost=D("4.10"))
    moment = datetime(2026, 3, 1, 17, tzinfo=UTC)
    before = {"location": "NY", "reason": "found", "reference": None, "note": None,
              "effective_at": str(moment), "lines": [line.__dict__]}
    command = PostAdjustment("NY", [line], "found", effective_at=moment)
    assert fingerprint("post_adjustment", command) == fingerprint("post_adjustment", before)
    relocation = {"source": "NY", "destination": "LA", "reference": "R", "note": None, "lines": [line.__dict__]}
    assert fingerprint("move_stock", MoveStock("NY", "LA", [line], reference="R")) == fingerprint(
        "move_stock", relocation)


@pytest.mark.parametrize("change", [
    {"location": "LA"},
    {"reason": "lost"},
    {"effective_at": None},
    {"effective_at": date(2026, 3, 2)},
    {"lines": [StockLine("TEA", D("2.6"), lot="L1", expiry_date=date(2027, 1, 31), unit_cost=D("4.10"))]},
    {"lines": [StockLine("TEA", D("2.5"), lot="L1", expiry_date=date(2027, 1, 31))]},
    {"note": None},
])
def test_a_changed_field_gives_a_different_fingerprint(change):
    assert fingerprint("post_adjustment", an_adjustment(**change)) != fingerprint("post_adjustment", an_adjustment())


def test_a_count_and_an_adjustment_of_the_same_lines_differ():
    lines = [StockLine("W", D(3))]
    assert fingerprint("post_stock_count", PostStockCount("NY", lines, reason="found")) != fingerprint(
        "post_adjustment", PostAdjustment("NY", lines, reason="found"))


def test_a_stock_line_is_read_from_text_once_naming_the_field():
    line = parse_stock_line("lines[2]", sku="TEA", quantity="-1.50", lot="L1", expiry_date="2027-01-31",
                            unit_cost="3")
    assert line == StockLine("TEA", D("-1.50"), lot="L1", expiry_date=date(2027, 1, 31), unit_cost=D(3))
    assert parse_stock_line("lines[0]", sku="W", quantity=4, lot="", unit_cost="") == StockLine("W", D(4))
    for fields, named in [
        ({"quantity": "ten"}, "lines[2].quantity"),
        ({"quantity": 1.5}, "lines[2].quantity"),
        ({"quantity": "1", "expiry_date": "31/01/2027"}, "lines[2].expiry_date"),
        ({"quantity": "1", "production_date": "2027-02-30"}, "lines[2].production_date"),
        ({"quantity": "1", "unit_cost": "4,10"}, "lines[2].unit_cost"),
    ]:
        with pytest.raises(InvalidInput) as error:
            parse_stock_line("lines[2]", sku="TEA", **fields)
        assert error.value.field == named


def test_a_moment_is_read_without_the_company_time_zone():
    """An offset makes an aware moment; without one the service applies the company's zone."""
    assert read_moment("2026-03-01T17:00:00Z", "effective_at") == datetime(2026, 3, 1, 17, tzinfo=UTC)
    assert read_moment("2026-03-01T17:00:00", "effective_at") == datetime(2026, 3, 1, 17)
    assert read_moment("2026-03-01", "effective_at") == date(2026, 3, 1)
    assert read_moment("  ", "effective_at") is None
    assert read_moment(None, "effective_at") is None
    for text in ["yesterday", "2026-13-01"]:
        with pytest.raises(InvalidInput) as error:
            read_moment(text, "effective_at")
        assert error.value.field == "effective_at"
