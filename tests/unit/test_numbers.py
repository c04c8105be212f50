"""The one written form of a number, and the bounds on numbers and money."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onhand.domain.errors import InvalidInput
from onhand.domain.money import (
    MAX_EXCHANGE_RATE,
    MAX_MONEY,
    currency_code,
    exchange_rate,
    line_total,
    money,
    positive_money,
)
from onhand.domain.quantities import (
    DECIMAL_PATTERN,
    MAX_NUMBER,
    MAX_NUMBER_TEXT,
    UnitOfMeasure,
    parse_decimal,
    quantity,
)
from tests.hypothesis_profiles import examples

EACH = UnitOfMeasure("each", "Each", 0)
# What the API's schema publishes, read as a JSON Schema (ECMA) regex reads it: \d is ASCII.
PUBLISHED = re.compile(DECIMAL_PATTERN, re.ASCII)


@pytest.mark.parametrize(
    "text",
    ["1_0", "1e1", "1E1", "+1", " 1 ", "1 ", "\t1", "1\n", "١", "１", "٣.٥", "1.", ".5", "-", "--1", "1.2.3",
     "0x10", "Infinity", "NaN", "-0e0", "1,5", ""],
)
def test_text_outside_the_published_form_is_not_a_number(text):
    with pytest.raises(InvalidInput) as error:
        parse_decimal(text, "lines[0].quantity")
    assert error.value.field == "lines[0].quantity"
    assert "not a number" in error.value.reason


@pytest.mark.parametrize(("text", "number"), [("10", 10), ("-0.5", Decimal("-0.5")), ("007", 7), ("2.500", 2.5)])
def test_text_in_the_published_form_is_read_exactly(text, number):
    assert parse_decimal(text, "f") == Decimal(str(number))


@pytest.mark.parametrize(
    "value", [Decimal("1E+400"), Decimal("-1E+16"), 10**400, 10**16, Decimal("1000000000000000.1")]
)
def test_a_number_beyond_the_largest_any_field_takes_is_too_large(value):
    with pytest.raises(InvalidInput, match="too large") as error:
        parse_decimal(value, "unit_cost")
    assert error.value.field == "unit_cost"
    assert len(error.value.reason) < 80  # a huge number is not echoed back


def test_a_json_number_in_exponent_form_is_a_number_within_the_bounds():
    # JSON numbers are numbers whatever their notation; only text has one published form.
    assert parse_decimal(Decimal("1E+1"), "f") == 10
    assert quantity(Decimal("1E+1"), EACH) == 10


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN")])
def test_a_number_that_is_not_finite_is_refused(value):
    with pytest.raises(InvalidInput, match="finite"):
        parse_decimal(value, "f")


def test_text_longer_than_any_number_is_refused_without_reading_it():
    with pytest.raises(InvalidInput, match="characters"):
        parse_decimal("0" * (MAX_NUMBER_TEXT + 1), "f")


def _decimal_text() -> st.SearchStrategy[str]:
    digits = st.text(alphabet="0123456789", min_size=1, max_size=16)
    return st.builds(
        lambda sign, whole, fraction: f"{sign}{whole}{'.' + fraction if fraction else ''}",
        st.sampled_from(["", "-"]), digits,
        st.one_of(st.just(""), st.text(alphabet="0123456789", min_size=1, max_size=6)),
    )


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(_decimal_text(), st.text(max_size=24)))
def test_text_is_a_number_exactly_when_it_matches_the_published_pattern(text):
    """Any text the parser accepts matches the pattern and round-trips; anything else is
    refused with the field named."""
    try:
        number = parse_decimal(text, "lines[3].unit_cost")
    except InvalidInput as error:
        assert error.field == "lines[3].unit_cost"
        assert not PUBLISHED.fullmatch(text) or len(text) > MAX_NUMBER_TEXT or Decimal(text).copy_abs() > MAX_NUMBER
    else:
        assert PUBLISHED.fullmatch(text)
        assert number == Decimal(text)
        assert parse_decimal(format(number, "f"), "f") == number


@settings(max_examples=examples(200), deadline=None)
@given(st.decimals(allow_nan=True, allow_infinity=True) | st.integers())
def test_a_json_number_is_taken_when_finite_and_within_bounds_and_refused_otherwise(value):
    try:
        number = parse_decimal(value, "quantity")
    except InvalidInput as error:
        assert error.field == "quantity"
        assert not Decimal(value).is_finite() or Decimal(value).copy_abs() > MAX_NUMBER
    else:
        assert number == value


def test_money_is_bounded_not_negative_and_at_most_six_decimals():
    assert money("1000000000000", "unit_cost") == MAX_MONEY
    for value, reason in [("1000000000000.000001", "at most"), ("-1", "negative"), ("0.0000001", "6 decimals"),
                          (Decimal("1E+400"), "too large"), ("1e400", "not a number")]:
        with pytest.raises(InvalidInput, match=reason) as error:
            money(value, "lines[0].unit_cost")
        assert error.value.field == "lines[0].unit_cost"
    with pytest.raises(InvalidInput, match="greater than zero"):
        positive_money("0", "amount")


def test_an_exchange_rate_is_positive_and_bounded():
    assert exchange_rate("0.000001") == Decimal("0.000001")
    assert exchange_rate(str(MAX_EXCHANGE_RATE)) == MAX_EXCHANGE_RATE
    for value in ("0", "-1", "1000000.000001", "1e400", Decimal("1E+400")):
        with pytest.raises(InvalidInput) as error:
            exchange_rate(value)
        assert error.value.field == "exchange_rate"


def test_a_line_may_total_at_most_the_money_bound():
    assert line_total(Decimal(10**9), Decimal(1000), "lines[0]") == MAX_MONEY
    with pytest.raises(InvalidInput, match="more than") as error:
        line_total(Decimal(10**9), Decimal("1000.000001"), "lines[0].unit_price")
    assert error.value.field == "lines[0].unit_price"


@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "KWD", "CHF"])
def test_a_currency_of_iso_4217_is_taken(code):
    assert currency_code(code) == code


@pytest.mark.parametrize("code", ["ABC", "EURO", "usd", "US", "XYZ", ""])
def test_a_code_that_is_no_iso_4217_currency_is_refused_naming_the_field(code):
    with pytest.raises(InvalidInput, match="is not an ISO 4217 currency code") as error:
        currency_code(code, "lines[0].currency")
    assert error.value.field == "lines[0].currency"
