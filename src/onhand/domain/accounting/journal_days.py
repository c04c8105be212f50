"""Which day's journal books an entry, and which days take none any more.

An entry belongs to its business day, unless that day's journal is already posted
(frozen): then it goes into the next open day's journal as a *correction line* that
names the day it belongs to. Nothing may be dated on or before the period lock date.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from onhand.domain.errors import Conflict, InvalidInput


def check_not_locked(effective_day: date, lock_date: date | None, field: str = "effective_at") -> None:
    """Refuse anything dated on or before the period lock date."""
    if lock_date is not None and effective_day <= lock_date:
        raise InvalidInput(field, f"{effective_day.isoformat()} is in a locked period (locked through {lock_date})")


def journal_day_for(effective_day: date, *, posted: Collection[date], lock_date: date | None = None) -> date:
    """The day whose journal books an entry: its own, or the next one not yet posted."""
    check_not_locked(effective_day, lock_date)
    day = effective_day
    while day in posted:
        day += timedelta(days=1)
    return day


def ensure_open(day: date, posted: Collection[date]) -> None:
    """A posted day is frozen: its journal is exported as stored, never made again."""
    if day in posted:
        raise Conflict(f"day: the journal of {day.isoformat()} is posted and frozen")
