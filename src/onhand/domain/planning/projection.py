"""Projected stock by day (available to promise over time) of one item at one site.

Start from what is on hand at the site (its bins rolled up) and replay the open documents
on their days: purchase orders and inbound transfers add on their expected date, open
reservations and backorders take on the order's requested ship date, transfers not yet
shipped out take on the day they are due to leave. A document already late counts today.
`expected` also takes the average daily demand of each day after today, so that "when does
it run out" can be answered for items whose orders have not arrived yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)
MAX_HORIZON_DAYS = 730


class DocumentKind(StrEnum):
    PURCHASE_ORDER = "purchase_order"  # + on its expected date (drafts too: they are plans)
    TRANSFER_IN = "transfer_in"  # + on its expected date, what is not received yet
    TRANSFER_OUT = "transfer_out"  # − what has not been shipped yet
    RESERVATION = "reservation"  # − stock promised to a sales order line
    BACKORDER = "backorder"  # − what an order waits for and nothing holds


@dataclass(frozen=True)
class Document:
    """One document's effect on the site's stock: signed (+ in, − out), on a day."""

    kind: DocumentKind
    reference: str
    day: date
    quantity: Decimal


@dataclass(frozen=True)
class ProjectedDay:
    day: date
    incoming: Decimal
    outgoing: Decimal  # a positive number: what documents take that day
    available: Decimal  # on hand + every document through this day
    expected: Decimal  # available less the average demand of the days after today


@dataclass(frozen=True)
class Projection:
    on_hand: Decimal
    days: tuple[ProjectedDay, ...]
    position: Decimal  # on hand + every open document, whatever its date
    first_below_minimum: date | None
    first_stock_out: date | None  # first day `expected` is zero or less


def project(
    on_hand: Decimal,
    documents: Iterable[Document],
    *,
    start: date,
    days: int,
    minimum: Decimal | None = None,
    daily_demand: Decimal = ZERO,
) -> Projection:
    """`days` days from `start` (today) on; see the module's docstring."""
    if not 1 <= days <= MAX_HORIZON_DAYS:
        raise ValueError(f"a projection covers 1 to {MAX_HORIZON_DAYS} days")
    incoming = [ZERO] * days
    outgoing = [ZERO] * days
    position = on_hand
    for document in documents:
        position += document.quantity
        index = max((document.day - start).days, 0)
        if index >= days:
            continue
        if document.quantity >= 0:
            incoming[index] += document.quantity
        else:
            outgoing[index] -= document.quantity
    rows = []
    available = on_hand
    below = out = None
    for index in range(days):
        day = start + timedelta(days=index)
        available += incoming[index] - outgoing[index]
        expected = available - daily_demand * index
        if below is None and minimum is not None and expected < minimum:
            below = day
        if out is None and expected <= 0:
            out = day
        rows.append(ProjectedDay(day, incoming[index], outgoing[index], available, expected))
    return Projection(on_hand, tuple(rows), position, below, out)


def first_day_below(
    on_hand: Decimal, documents: Iterable[Document], *, start: date, days: int, level: Decimal,
    daily_demand: Decimal = ZERO,
) -> tuple[date, Decimal] | None:
    """The first day within `days` whose `expected` stock is below `level`, and that stock;
    the same answer as `project(...)` gives, without building every day (suggestions ask
    it of thousands of items)."""
    changes: dict[int, Decimal] = {}
    for document in documents:
        index = max((document.day - start).days, 0)
        if index < days:
            changes[index] = changes.get(index, ZERO) + document.quantity
    available = on_hand
    marks = sorted(changes)
    for position, index in enumerate(marks):
        # Between documents `expected` only falls (by the demand): look at the last day
        # before this document's day, then at its day.
        if position == 0 and index > 0:
            hit = _below_between(available, 0, index - 1, level, daily_demand)
        elif position > 0 and index - 1 > marks[position - 1]:
            hit = _below_between(available, marks[position - 1] + 1, index - 1, level, daily_demand)
        else:
            hit = None
        if hit is not None:
            return start + timedelta(days=hit), available - daily_demand * hit
        available += changes[index]
        if available - daily_demand * index < level:
            return start + timedelta(days=index), available - daily_demand * index
    first = marks[-1] + 1 if marks else 0
    hit = _below_between(available, first, days - 1, level, daily_demand)
    return None if hit is None else (start + timedelta(days=hit), available - daily_demand * hit)


def _below_between(available: Decimal, first: int, last: int, level: Decimal, demand: Decimal) -> int | None:
    """The first index in [first, last] where available − demand × index < level."""
    if first > last:
        return None
    if available - demand * first < level:
        return first
    if demand <= 0 or available - demand * last >= level:
        return None
    # available − demand × i < level  ⇔  i > (available − level) / demand
    index = int((available - level) / demand) + 1
    while index > first and available - demand * (index - 1) < level:  # guard the rounding
        index -= 1
    while available - demand * index >= level:
        index += 1
    return index


def replay(on_hand: Decimal, documents: Iterable[Document], *, start: date, through: date) -> Decimal:
    """On hand plus every document due by `through` (a late one counts from `start`)."""
    return on_hand + sum((d.quantity for d in documents if max(d.day, start) <= through), ZERO)
