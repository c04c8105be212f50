"""How a repository tells the unit of work what changed (the change feed records it).

A repository whose writes others care about (a document's status, a reservation, an item
or a location) is given its unit of work's `publish` and calls it with a small domain
event after each such write, in the same transaction: no write service can forget it,
and none has to know the feed exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select

from onhand.adapters.db.hot import Hot

Publish = Callable[[object], None]


def ignore(event: object) -> None:
    """The `publish` of a repository used on its own (no unit of work, no feed)."""


def status_changes(
    conn: Connection, table: Table, wanted: Iterable[tuple[int, Any]], *, known: Mapping[int, str] | None = None
) -> list[tuple[int, str, str | None]]:
    """(id, new status, status now) of each row whose status the update would change;
    read before the update (in the writer's transaction, under its row lock), but for the
    rows whose status now the writer `known`s (it holds their lock)."""
    new = {row_id: str(status) for row_id, status in wanted if status is not None}
    if not new:
        return []
    known = known or {}
    rows = [(row_id, known[row_id]) for row_id in new if row_id in known]
    unknown = sorted(row_id for row_id in new if row_id not in known)
    if unknown:
        rows += _statuses(table).rows(conn, {"ids": unknown})
    return [(row_id, new[row_id], status) for row_id, status in sorted(rows) if status != new[row_id]]


@cache  # built once per table, not at every update
def _statuses(table: Table) -> Hot:
    return Hot(select(table.c.id, table.c.status).where(table.c.id.in_(bindparam("ids", expanding=True))))
