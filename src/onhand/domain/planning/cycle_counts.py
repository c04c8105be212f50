"""Cycle counts: ABC classes by value moved, when a class is due again, and what a count
session shows (blind while counting, book vs counted at review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from onhand.domain.errors import InvalidInput

DEFAULT_ABC_WINDOW_DAYS = 365
DEFAULT_A_PERCENT = Decimal(80)
DEFAULT_B_PERCENT = Decimal(15)
# Days between counts: monthly, quarterly, yearly.
DEFAULT_INTERVALS = {"A": 30, "B": 91, "C": 365}
MAX_INTERVAL_DAYS = 3660
HUNDRED = Decimal(100)


class SessionStatus(StrEnum):
    OPEN = "open"
    POSTED = "posted"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class AbcRow:
    sku: str
    value: Decimal  # cost value shipped (net of returns) over the window
    share: Decimal  # percent of the total
    cumulative: Decimal  # percent of the total, this item and those above it
    abc_class: str


def check_thresholds(a_percent: Decimal, b_percent: Decimal) -> None:
    if not Decimal(0) < a_percent <= HUNDRED:
        raise InvalidInput("a_percent", "must be more than 0 and at most 100")
    if not Decimal(0) <= b_percent <= HUNDRED - a_percent:
        raise InvalidInput("b_percent", "must be from 0 to 100 minus a_percent")


def classify(values: list[tuple[str, Decimal]], a_percent: Decimal = DEFAULT_A_PERCENT,
             b_percent: Decimal = DEFAULT_B_PERCENT) -> list[AbcRow]:
    """Items by value, highest first: A while the items above make up less than `a_percent`
    of the total (so the top item is always A), B for the next `b_percent`, C the rest.
    An item that moved no value (or less than none, returns exceeding shipments) is C."""
    check_thresholds(a_percent, b_percent)
    ranked = sorted(values, key=lambda pair: (-pair[1], pair[0]))
    total = sum((v for _, v in ranked if v > 0), Decimal(0))
    rows, above = [], Decimal(0)
    for sku, value in ranked:
        if value <= 0 or total == 0:
            rows.append(AbcRow(sku, value, Decimal(0), _percent(above, total), "C"))
            continue
        before = above * HUNDRED / total
        above += value
        klass = "A" if before < a_percent else "B" if before < a_percent + b_percent else "C"
        rows.append(AbcRow(sku, value, _percent(value, total), _percent(above, total), klass))
    return rows


def _percent(part: Decimal, total: Decimal) -> Decimal:
    return Decimal(0) if total == 0 else (part * HUNDRED / total).quantize(Decimal("0.01"))


def check_intervals(intervals: dict[str, int]) -> dict[str, int]:
    clean = dict(DEFAULT_INTERVALS)
    for klass, days in intervals.items():
        field = f"{klass.lower()}_days"
        if klass not in clean:
            raise InvalidInput("intervals", f"unknown class {klass!r}; the classes are A, B and C")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_INTERVAL_DAYS:
            raise InvalidInput(field, f"must be a whole number of days from 1 to {MAX_INTERVAL_DAYS}")
        clean[klass] = days
    return clean


def is_due(last_counted: date | None, interval_days: int, today: date) -> bool:
    """Never counted, or counted `interval_days` or more ago."""
    return last_counted is None or last_counted + timedelta(days=interval_days) <= today


@dataclass(frozen=True)
class DueCount:
    sku: str
    location: str
    abc_class: str  # no quantity: the plan is read by counters, and counting is blind
    last_counted: date | None
    due_since: date | None  # None: never counted


@dataclass(frozen=True)
class CountLine:
    """What a counter sees: what is to be counted and what was counted, never the book."""

    sku: str
    lot: str | None
    counted: Decimal | None


@dataclass(frozen=True)
class ReviewLine:
    sku: str
    lot: str | None
    frozen: Decimal  # the book when the session opened
    moved_since: Decimal  # stock moved in (+) or out (−) of the place since then
    expected: Decimal  # frozen + moved since: the book now
    counted: Decimal | None
    difference: Decimal | None  # counted − expected: what posting adjusts


@dataclass(frozen=True)
class CountSessionView:
    id: int
    location: str
    status: SessionStatus
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    posting_id: int | None
    lines: tuple[CountLine, ...]


@dataclass(frozen=True)
class CountReview:
    id: int
    location: str
    status: SessionStatus
    lines: tuple[ReviewLine, ...]


def review_line(sku: str, lot: str | None, frozen: Decimal, book: Decimal, counted: Decimal | None) -> ReviewLine:
    return ReviewLine(sku, lot, frozen, book - frozen, book, counted, None if counted is None else counted - book)
