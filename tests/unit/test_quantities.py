from decimal import Decimal

import pytest

from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import UnitOfMeasure, plain, positive_quantity, quantity

EACH = UnitOfMeasure("each", "Each", 0)
KG = UnitOfMeasure("kg", "Kilogram", 3)


def test_a_whole_unit_accepts_whole_numbers_written_with_zero_decimals():
    assert quantity("10.000", EACH) == Decimal(10)


def test_a_whole_unit_refuses_fractions_naming_the_field_and_unit():
    with pytest.raises(InvalidInput) as error:
        quantity("1.5", EACH, "lines[0].quantity")
    assert error.value.field == "lines[0].quantity"
    assert "'each'" in error.value.reason


def test_kilograms_take_three_decimals_but_not_four():
    assert quantity("2.125", KG) == Decimal("2.125")
    with pytest.raises(InvalidInput):
        quantity("2.1255", KG)


def test_floats_are_refused_because_they_are_not_exact():
    with pytest.raises(InvalidInput, match="float"):
        quantity(0.1, KG)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "1e999999999"])
def test_non_numbers_are_refused(text):
    with pytest.raises(InvalidInput):
        quantity(text, KG)


def test_zero_and_negatives_are_not_positive_quantities():
    for value in ("0", "-1"):
        with pytest.raises(InvalidInput, match="greater than zero"):
            positive_quantity(value, EACH)


def test_quantities_come_back_in_their_shortest_exact_form():
    assert str(plain(Decimal("2.500"))) == "2.5"
    assert str(plain(Decimal("1E+2"))) == "100"
    assert str(plain(Decimal("-0"))) == "0"


def test_a_unit_cannot_be_finer_than_the_ledger_stores():
    with pytest.raises(InvalidInput):
        UnitOfMeasure("ug", "Microgram", 7)
