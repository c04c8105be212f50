"""Many rows inserted at once, each one's new integer key given back in their order.

SQLAlchemy's insert of many rows with `sort_by_parameter_order` (its "insertmanyvalues")
builds and runs its statement anew at every call, through its whole execution path: for a
server's group, the inserts of its postings and moves were about a tenth of the writer's
time. A `HotInsert` runs hot statements (`hot.py`) instead, for up to `MAX_ROWS` ×
`MAX_STATEMENTS` rows (more, an import's part, go SQLAlchemy's way):

- on SQLite, one `INSERT … VALUES (…), (…) RETURNING` made once per count of rows (up to
  `MAX_ROWS` a statement). SQLite gives a table's integer key in the order it inserts the
  rows, theirs, so the keys returned, sorted, are the rows' in order: what SQLAlchemy itself
  relies on there (its dialect's autoincrement sentinel);
- on PostgreSQL, an `INSERT … RETURNING` of one row executed for each in one psycopg
  pipeline (one round trip), each execution's key read in turn. (SQLAlchemy's statement of
  many rows has a parameter a column and row, and psycopg converts a statement of more than
  50 anew at every call.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam, insert

from onhand.adapters.db.hot import Hot

MAX_ROWS = 16  # a statement's rows (so at most 16 forms of it, each a few parameters a row)
MAX_STATEMENTS = 4  # more rows than these statements hold go SQLAlchemy's way


class HotInsert:
    """Rows of `columns` (every row gives each) into `table`, returning `key`'s new values."""

    __slots__ = ("_by_count", "_columns", "_key", "_one", "_table", "_whole")

    def __init__(self, table: Table, key: Column[Any], columns: Sequence[str]) -> None:
        self._table, self._key, self._columns = table, key, tuple(columns)
        self._whole = insert(table).returning(key, sort_by_parameter_order=True)
        self._one = Hot(insert(table).returning(key))
        self._by_count: dict[int, Hot] = {}

    def ids(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        if not rows:
            return []
        if len(rows) > MAX_ROWS * MAX_STATEMENTS:
            return [int(row[0]) for row in conn.execute(self._whole, list(rows))]
        if conn.dialect.name != "sqlite":  # a row a statement, pipelined: one round trip
            return [int(row[0]) for row in self._one.many_returning(conn, rows)]
        found: list[int] = []
        for start in range(0, len(rows), MAX_ROWS):
            chunk = rows[start:start + MAX_ROWS]
            given = {f"{name}_{n}": row[name] for n, row in enumerate(chunk) for name in self._columns}
            found += sorted(int(row[0]) for row in self._statement(len(chunk)).rows(conn, given))
        return found

    def _statement(self, count: int) -> Hot:
        statement = self._by_count.get(count)
        if statement is None:
            table = self._table
            statement = self._by_count[count] = Hot(insert(table).values([
                {name: bindparam(f"{name}_{n}", type_=table.c[name].type) for name in self._columns}
                for n in range(count)
            ]).returning(self._key))
        return statement
