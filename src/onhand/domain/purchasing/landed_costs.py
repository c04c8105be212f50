"""Landed costs (freight, duty, insurance, other) and how they are shared among receipt lines.

A landed cost is allocated to the lines of one receipt in proportion to their value
(quantity × unit cost), quantity or weight. Each share is rounded to the currency's
minor unit (to 10⁻⁶ when the amount itself is finer) and the rounding residue goes to
the line with the largest basis, so the shares always sum exactly to the amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput

# ISO 4217 currencies whose minor unit is not the cent (everything else has 2 decimals).
_MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
                     "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    "CLF": 4,
}
FINEST = Decimal("0.000001")


class LandedCostKind(StrEnum):
    FREIGHT = "freight"
    DUTY = "duty"
    INSURANCE = "insurance"
    OTHER = "other"


class AllocationMethod(StrEnum):
    VALUE = "value"  # quantity × unit cost of each line
    QUANTITY = "quantity"
    WEIGHT = "weight"  # quantity × the item's weight


def parse_kind(value: str, field: str = "kind") -> LandedCostKind:
    return parse_choice(LandedCostKind, value, field)


def parse_method(value: str, field: str = "method") -> AllocationMethod:
    return parse_choice(AllocationMethod, value, field)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of a currency: 0.01 USD, 1 JPY, 0.001 KWD."""
    return Decimal(1).scaleb(-_MINOR_UNITS.get(currency.upper(), 2))


def allocate(total: Decimal, bases: Sequence[Decimal], *, step: Decimal, field: str = "method") -> list[Decimal]:
    """Split `total` in proportion to `bases`, each share a multiple of `step`, summing exactly.

    Shares are rounded down, so none can turn negative, and the residue lands on the
    line with the largest basis (the first of equals). A total finer than `step` is
    split to 10⁻⁶ instead, so nothing is lost.
    """
    if not bases:
        raise InvalidInput(field, "there are no lines to allocate to")
    if any(basis < 0 for basis in bases):
        raise InvalidInput(field, "a line's share basis must not be negative")
    weight = sum(bases, Decimal(0))
    if weight == 0:
        raise InvalidInput(field, "every line has a zero basis for this method; choose another method")
    if total != total.quantize(step):
        step = FINEST
    shares = [(total * basis / weight).quantize(step, rounding=ROUND_DOWN) for basis in bases]
    largest = max(range(len(bases)), key=lambda index: (bases[index], -index))
    shares[largest] += total - sum(shares, Decimal(0))
    return shares
