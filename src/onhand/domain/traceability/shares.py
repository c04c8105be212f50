"""How much of a lot one unit of a lot built from it holds, through any number of builds.

A build consumed `q` of a component lot into a product lot of which builds made `n` in
all: each unit of the product holds `q / n` of the component. Through several levels
the shares multiply and, where a product holds the lot by several paths, add. Shares
are exact fractions: a quantity is turned into a decimal only when it is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from onhand.domain.quantities import plain

# (child lot, parent lot, quantity of the child consumed into the parent)
Edge = tuple[int, int, Decimal]


def shares(
    orders: dict[int, list[int]], edges: Iterable[Edge], produced: dict[int, Decimal]
) -> dict[int, dict[int, Fraction]]:
    """{origin: {lot: units of origin per unit of lot}}. `orders` lists, per origin, the
    lots built from it, each after every lot it was built from (by the longest path from
    the origin). A lot whose builds made nothing holds none."""
    into: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for child, parent, quantity in edges:
        into[parent].append((child, quantity))
    result: dict[int, dict[int, Fraction]] = {}
    for origin, order in orders.items():
        share: dict[int, Fraction] = {origin: Fraction(1)}
        for lot in order:
            if lot == origin:
                continue
            made = produced.get(lot)
            if not made:
                continue
            held = sum((share.get(child, Fraction(0)) * Fraction(q) for child, q in into.get(lot, ())), Fraction(0))
            if held:
                share[lot] = held / Fraction(made)
        result[origin] = share
    return result


def as_decimal(value: Fraction, places: int = 6) -> Decimal:
    """A fraction as a decimal of at most `places` places (half to even); trailing zeros dropped."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return plain(rounded)
