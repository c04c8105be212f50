"""Money as users give it (unit costs, prices, charges, exchange rates) and its bounds.

Money is a Decimal with at most 6 decimals, stored like quantities as integers of
10^-6 in 64 bits (about ±9.22 × 10^12). The bounds keep every stored money figure,
and the few-term sums the database makes of them, inside that range:

- `MAX_MONEY` (10^12): any one figure given or stored: a unit cost or price, a
  charge, a move's value, a cost layer's or pool's value, and a line's total
  (quantity × price);
- `MAX_EXCHANGE_RATE` (10^6): company currency per unit of a document's currency;
- `MAX_STORED` (about 9.22 × 10^12): a stored sum of many of them (a day's journal).

Every figure is read by `domain/quantities.py: parse_decimal` (the one written form).
`currency_code` knows the currencies (ISO 4217, from pycountry), `minor_unit` how fine
one is, and `allocate` shares an amount in proportion to some bases, exactly (landed
costs over receipt lines, a pool's value over its lots). This module imports only the
standard library, the domain and pycountry (its ISO 4217 table, read once when first asked).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

import pycountry

from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import parse_decimal

MONEY_STEP = Decimal("0.000001")
MAX_MONEY = Decimal(10**12)
# What a 64-bit integer of 10^-6 holds: the limit of a stored sum no bound keeps small (a
# day's journal adds up many items' values).
MAX_STORED = Decimal(2**63 - 1).scaleb(-6)
MAX_EXCHANGE_RATE = Decimal(10**6)

# ISO 4217 currencies whose minor unit is not the cent (everything else has 2 decimals).
_MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
                     "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    "CLF": 4,
}


def money(value: object, field: str) -> Decimal:
    """A unit cost, price or amount: not negative, at most `MAX_MONEY`, at most 6 decimals."""
    number = parse_decimal(value, field)
    if number < 0:
        raise InvalidInput(field, "must not be negative")
    return _bounded(number, MAX_MONEY, field)


def positive_money(value: object, field: str) -> Decimal:
    """`money`, and greater than zero (a charge, a price that must be set)."""
    number = money(value, field)
    if number == 0:
        raise InvalidInput(field, "must be greater than zero")
    return number


def exchange_rate(value: object, field: str = "exchange_rate") -> Decimal:
    """Units of company currency for one unit of a document's currency: > 0, at most
    `MAX_EXCHANGE_RATE`, at most 6 decimals."""
    number = parse_decimal(value, field)
    if number <= 0:
        raise InvalidInput(field, "must be greater than zero")
    return _bounded(number, MAX_EXCHANGE_RATE, field)


def line_total(quantity: Decimal, price: Decimal, field: str) -> Decimal:
    """quantity × price of a document's line, refused beyond `MAX_MONEY` (naming `field`,
    the price's): the database multiplies them when it sums a day's revenue."""
    total = abs(quantity) * price
    if total > MAX_MONEY:
        raise InvalidInput(field, f"quantity × price comes to {total:f}, more than the {MAX_MONEY} a line may total")
    return total


def _bounded(number: Decimal, bound: Decimal, field: str) -> Decimal:
    if number > bound:
        raise InvalidInput(field, f"must be at most {bound}")
    if number != number.quantize(MONEY_STEP):
        raise InvalidInput(field, "has more than 6 decimals")
    return number


def currency_code(code: str, field: str = "currency") -> str:
    """`code` if it is a currency of ISO 4217 as pycountry keeps it (three capitals: USD)."""
    if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.currencies.get(alpha_3=code) is None:
        raise InvalidInput(field, f"{code!r} is not an ISO 4217 currency code like USD")
    return code


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
        step = MONEY_STEP
    shares = [(total * basis / weight).quantize(step, rounding=ROUND_DOWN) for basis in bases]
    largest = max(range(len(bases)), key=lambda index: (bases[index], -index))
    shares[largest] += total - sum(shares, Decimal(0))
    return shares
