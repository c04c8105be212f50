"""Charts drawn on the server as SVG: no script, no library, nothing to load, readable by
a screen reader (a title and a summary, and the numbers in a table beside each chart).

Only geometry lives here — where each bar or point goes in a fixed 320×160 box; the
figures come from the services' read models (services/reports/trends.py, dashboard.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 22  # room for the axis labels
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """What a template draws: bars, or a line through `points` (an SVG points string)."""

    bars: tuple[Bar, ...]
    points: str
    top: Decimal  # the value at the top of the plot
    bottom: Decimal  # the value at its foot (0, or below when a value is negative)
    first_label: str
    last_label: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_top: int = TOP
    plot_bottom: int = TOP + PLOT_H


def _scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    top = max([*values, Decimal(0)])
    bottom = min([*values, Decimal(0)])
    if top == bottom:
        top = bottom + 1
    return top, bottom


def _y(value: Decimal, top: Decimal, bottom: Decimal) -> float:
    return TOP + float((top - value) / (top - bottom)) * PLOT_H


def bar_chart(figures: Sequence[tuple[str, Decimal]]) -> Chart:
    """One bar per (label, value), in the order given."""
    top, bottom = _scale([value for _, value in figures])
    step = PLOT_W / max(len(figures), 1)
    zero = _y(Decimal(0), top, bottom)
    bars = []
    for index, (label, value) in enumerate(figures):
        y = _y(value, top, bottom)
        bars.append(Bar(label, value, round(LEFT + index * step + step * 0.1, 1), round(min(y, zero), 1),
                        round(step * 0.8, 1), round(abs(zero - y), 1)))
    return Chart(tuple(bars), "", top, bottom, figures[0][0] if figures else "", figures[-1][0] if figures else "")


def line_chart(figures: Sequence[tuple[str, Decimal]]) -> Chart:
    """A line through (label, value) points, left to right."""
    top, bottom = _scale([value for _, value in figures])
    step = PLOT_W / max(len(figures) - 1, 1)
    points = " ".join(f"{LEFT + index * step:.1f},{_y(value, top, bottom):.1f}"
                      for index, (_, value) in enumerate(figures))
    return Chart((), points, top, bottom, figures[0][0] if figures else "", figures[-1][0] if figures else "")
