"""Demand from history: average daily demand and its standard deviation over a window.

A day without shipments is a day of zero demand, so the window's length (not the number of
days that shipped) divides. Returns are netted into the day they came back. Demand of an
assembly is passed down to its components through its bill of materials (bundles need no
help: a bundle ships as its components, so their shipments already carry its demand).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.quantities import plain

ZERO = Decimal(0)
_MICRO = Decimal("0.000001")
MAX_WINDOW_DAYS = 3650
# How deep a bill of materials may nest before it is taken as a cycle.
MAX_DEPTH = 32


@dataclass(frozen=True)
class Demand:
    """Average units a day over `days`, their population standard deviation, and the total."""

    average: Decimal
    deviation: Decimal
    total: Decimal
    days: int

    @staticmethod
    def none(days: int) -> Demand:
        return Demand(ZERO, ZERO, ZERO, days)


def daily_demand(by_day: Mapping[object, Decimal], days: int) -> Demand:
    """Statistics of net demand per day over a window of `days` (days absent are zeros).

    `by_day` maps each day that moved (its key is only counted) to its net quantity shipped.
    """
    if days <= 0:
        raise ValueError("a demand window has at least one day")
    total = sum(by_day.values(), ZERO)
    squares = sum((quantity * quantity for quantity in by_day.values()), ZERO)
    return from_sums(total, squares, days)


def from_sums(total: Decimal, squares: Decimal, days: int) -> Demand:
    """The same statistics from Σq and Σq² over the window (what a database sums cheaply)."""
    average = total / days
    variance = squares / days - average * average
    deviation = variance.sqrt() if variance > 0 else ZERO
    return Demand(average=_short(average), deviation=_short(deviation), total=total, days=days)


def _short(number: Decimal) -> Decimal:
    """Six decimals, the precision quantities are stored with (trailing zeros dropped)."""
    return plain(number.quantize(_MICRO))


def explode(direct: Mapping[int, Demand], recipes: Mapping[int, list[tuple[int, Decimal]]]) -> dict[int, Demand]:
    """Each item's demand plus what its parents' demand needs of it, at any depth.

    `recipes` maps an assembly to its (component, quantity per unit) lines (scrap included).
    Totals and averages add exactly; deviations add as independent variances
    (σ² = σ_own² + Σ (per unit × σ_parent)²), an approximation the daily rows would refine.
    """
    if not recipes:
        return dict(direct)
    sums: dict[int, list[Decimal]] = {}  # item → [total, average, variance]
    days = next(iter(direct.values())).days if direct else 1

    def add(item: int, total: Decimal, average: Decimal, variance: Decimal, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ValueError(f"bill of materials of item {item} nests deeper than {MAX_DEPTH}")
        entry = sums.setdefault(item, [ZERO, ZERO, ZERO])
        entry[0] += total
        entry[1] += average
        entry[2] += variance
        for component, per_unit in recipes.get(item, ()):
            add(component, total * per_unit, average * per_unit, variance * per_unit * per_unit, depth + 1)

    for item, demand in direct.items():
        add(item, demand.total, demand.average, demand.deviation * demand.deviation, 0)
    return {
        item: Demand(average=_short(average), deviation=_short(variance.sqrt()) if variance > 0 else ZERO,
                     total=total, days=days)
        for item, (total, average, variance) in sums.items()
    }
