"""The record of journal pushes (tables/journal_pushes.py): claim, finish, read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from onhand.adapters.db.tables.accounting import journal_days
from onhand.adapters.db.tables.journal_pushes import journal_pushes

_BY_DAY = select(journal_pushes).order_by(journal_pushes.c.day, journal_pushes.c.target, journal_pushes.c.id)


class JournalPushRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def lock_day(self, day: date) -> None:
        """Hold the posted day's row until the transaction ends, so that claims of its pushes take
        turns: what one committed, the next reads (on SQLite, writers take turns anyway)."""
        self._conn.execute(select(journal_days.c.day).where(journal_days.c.day == day).with_for_update())

    def of_day(self, day: date, target: str) -> list[Any]:
        """Every push of the day to the target, oldest first."""
        return list(self._conn.execute(
            _BY_DAY.where(journal_pushes.c.day == day, journal_pushes.c.target == target)))

    def get(self, push_id: int) -> Any:
        return self._conn.execute(select(journal_pushes).where(journal_pushes.c.id == push_id)).one()

    def between(self, first: date, last: date, target: str | None = None) -> list[Any]:
        query = _BY_DAY.where(journal_pushes.c.day >= first, journal_pushes.c.day <= last)
        if target is not None:
            query = query.where(journal_pushes.c.target == target)
        return list(self._conn.execute(query))

    def count(self, day: date, target: str) -> int:
        return int(self._conn.execute(select(func.count()).select_from(journal_pushes).where(
            journal_pushes.c.day == day, journal_pushes.c.target == target)).scalar_one())

    def last_sent_day(self, target: str) -> date | None:
        """The latest day whose journal was sent to the target."""
        return self._conn.execute(select(func.max(journal_pushes.c.day)).where(
            journal_pushes.c.target == target, journal_pushes.c.status == "sent")).scalar()

    def first_day(self, target: str) -> date | None:
        """The earliest day with a push to the target, whatever its outcome."""
        return self._conn.execute(select(func.min(journal_pushes.c.day)).where(
            journal_pushes.c.target == target)).scalar()

    def add(self, row: Mapping[str, Any]) -> int:
        return int(self._conn.execute(insert(journal_pushes).returning(journal_pushes.c.id), dict(row)).scalar_one())

    def finish(self, push_id: int, **values: Any) -> None:
        """Set the outcome of a pending push (status, remote_id, error, finished_at)."""
        self._conn.execute(update(journal_pushes).where(journal_pushes.c.id == push_id).values(**values))
