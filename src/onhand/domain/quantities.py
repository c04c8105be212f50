"""Units of measure and the exact parsing of quantities.

A unit of measure fixes how many decimals a quantity may carry (`each` is whole, `kg`
has 3). Over-precise quantities are refused, never silently rounded: rounding a count
would make stock appear or vanish.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from onhand.domain.errors import InvalidInput

# The ledger stores quantities as integers of 10^-MAX_DECIMALS, so no unit may be finer.
MAX_DECIMALS = 6
# Largest magnitude a single quantity may have (keeps scaled integers inside 63 bits).
MAX_QUANTITY = Decimal("1000000000")


@dataclass(frozen=True)
class UnitOfMeasure:
    code: str
    name: str
    decimals: int

    def __post_init__(self) -> None:
        if not 0 <= self.decimals <= MAX_DECIMALS:
            raise InvalidInput("decimals", f"must be between 0 and {MAX_DECIMALS}")


STANDARD_UNITS = (
    UnitOfMeasure("each", "Each", 0),
    UnitOfMeasure("pair", "Pair", 0),
    UnitOfMeasure("box", "Box", 0),
    UnitOfMeasure("case", "Case", 0),
    UnitOfMeasure("kg", "Kilogram", 3),
    UnitOfMeasure("g", "Gram", 1),
    UnitOfMeasure("l", "Litre", 3),
    UnitOfMeasure("ml", "Millilitre", 0),
    UnitOfMeasure("m", "Metre", 3),
)


def plain(number: Decimal) -> Decimal:
    """The shortest exact form: 2.500 -> 2.5, 1E+2 -> 100, -0 -> 0."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1)) + 0
    return number.normalize()


def parse_decimal(value: object, field: str) -> Decimal:
    """Turn user input (str, int, Decimal) into a finite Decimal; floats are refused."""
    if isinstance(value, (bool, float)):
        raise InvalidInput(field, "must be a decimal string or an integer, not a float")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidInput(field, f"{value!r} is not a number") from None
    else:
        raise InvalidInput(field, "must be a number")
    if not number.is_finite():
        raise InvalidInput(field, "must be a finite number")
    return number


def quantity(value: object, unit: UnitOfMeasure, field: str = "quantity") -> Decimal:
    """A quantity in `unit`: exact, within the unit's precision, any sign."""
    number = parse_decimal(value, field)
    if number.copy_abs() > MAX_QUANTITY:
        raise InvalidInput(field, f"{number} is too large (at most {MAX_QUANTITY})")
    if number.quantize(Decimal(1).scaleb(-unit.decimals), rounding=ROUND_DOWN) != number:
        whole = "whole numbers" if unit.decimals == 0 else f"{unit.decimals} decimals"
        raise InvalidInput(field, f"{number} is more precise than unit {unit.code!r} allows ({whole})")
    return plain(number)


def positive_quantity(value: object, unit: UnitOfMeasure, field: str = "quantity") -> Decimal:
    number = quantity(value, unit, field)
    if number <= 0:
        raise InvalidInput(field, f"must be greater than zero, got {number}")
    return number


def non_negative_quantity(value: object, unit: UnitOfMeasure, field: str = "quantity") -> Decimal:
    number = quantity(value, unit, field)
    if number < 0:
        raise InvalidInput(field, f"must not be negative, got {number}")
    return number
