"""Units of measure, the one written form of a number, and the bounds of quantities.

A unit of measure fixes how many decimals a quantity may carry (`each` is whole, `kg`
has 3). Over-precise quantities are refused, never silently rounded: rounding a count
would make stock appear or vanish.

Every number a user gives (a quantity, cost, price, rate, weight …) is read here by
`parse_decimal`: as text only in the form the API publishes (`DECIMAL_PATTERN`), as an
int or Decimal (a JSON number) only when finite and within `MAX_NUMBER`. Nothing else
is a number: no exponent, `+`, spaces, `_`, or digits of other scripts.

The ledger stores quantities and money as integers of 10^-6 in 64 bits (about
±9.22 × 10^12 units), so bounds keep every stored number, and every sum the database
makes of a few of them, inside that range:

- `MAX_QUANTITY` (10^9): one line, one move;
- `MAX_TOTAL_QUANTITY` (10^12): anything stored that adds quantities up: a balance
  (on hand, reserved) at any location, virtual ones included; a cost pool; the net
  change one posting makes to one balance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from onhand.domain.errors import InvalidInput

# The ledger stores quantities as integers of 10^-MAX_DECIMALS, so no unit may be finer.
MAX_DECIMALS = 6
MAX_QUANTITY = Decimal(10**9)
MAX_TOTAL_QUANTITY = Decimal(10**12)
# No number anywhere may be larger: beyond it, exact arithmetic (quantize) would need more
# than Decimal's 28 digits, and nothing Onhand stores comes near it.
MAX_NUMBER = Decimal(10**15)
MAX_NUMBER_BITS = (10**15).bit_length()
# The published form of a number as text: the API's schema pattern. \d means ASCII digits
# there (JSON Schema's regexes), so here too; fullmatch, as `$` would allow a final newline.
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
_DECIMAL_TEXT = re.compile(DECIMAL_PATTERN, re.ASCII)
# Longer text cannot be a number within MAX_NUMBER at 6 decimals, save by padding.
MAX_NUMBER_TEXT = 40
FORM = "digits with an optional leading '-' and one decimal point, like 12 or -0.5"


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
    """User input as an exact Decimal, or `InvalidInput` naming `field`.

    Text must be in the published form (`DECIMAL_PATTERN`); an int or a Decimal (a JSON
    number, read from its text) must be finite. Either way at most `MAX_NUMBER` in
    magnitude. Floats (inexact) and booleans are refused."""
    if isinstance(value, bool | float):
        raise InvalidInput(field, "must be a decimal string or an integer, not a float")
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT:
            raise InvalidInput(field, f"is not a number Onhand can hold (more than {MAX_NUMBER_TEXT} characters)")
        if not _DECIMAL_TEXT.fullmatch(value):
            raise InvalidInput(field, f"{value!r} is not a number: write {FORM}")
        number = Decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput(field, "must be a finite number")
        number = value
    elif isinstance(value, int):
        if value.bit_length() > MAX_NUMBER_BITS:
            raise InvalidInput(field, f"is too large (at most {MAX_NUMBER} in magnitude)")
        number = Decimal(value)
    else:
        raise InvalidInput(field, "must be a number")
    # Compared by exponent first, so that 1E+400 or a thousand-digit int costs nothing.
    if number and (number.adjusted() > MAX_NUMBER.adjusted() or number.copy_abs() > MAX_NUMBER):
        raise InvalidInput(field, f"is too large (at most {MAX_NUMBER} in magnitude)")
    return number


def optional_decimal(value: object, field: str) -> Decimal | None:
    """`parse_decimal` of a value that may be left out: None (or blank text) is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_decimal(value, field)


def quantity(value: object, unit: UnitOfMeasure, field: str = "quantity") -> Decimal:
    """A quantity in `unit`: exact, within the unit's precision, any sign."""
    number = parse_decimal(value, field)
    if number.copy_abs() > MAX_QUANTITY:
        raise InvalidInput(field, f"{number:f} is too large (at most {MAX_QUANTITY})")
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
