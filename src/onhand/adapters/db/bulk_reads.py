"""Reads of many rows at once (100,000 reorder rules, every balance) without the work
SQLAlchemy does per row.

SQLAlchemy still compiles the statement (from its cache) and converts the parameters; the
rows come from the DB-API cursor as the driver made them and only the columns whose type
needs it are converted, each distinct value once. Planning's snapshot reads 300,000 rows: the
Row objects and the per-value type processors were 0.7 s of its 2.7 s on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select

from onhand.adapters.db.types import ScaledDecimal, from_scaled

Convert = Callable[[Any], Any]
T = TypeVar("T")


def column_converters(
    columns: Iterable[Any], dialect: Dialect, description: Sequence[Any]
) -> list[tuple[int, Convert]]:
    """(column index, converter) for each selected column whose value the driver does not
    hand over as the type's Python value (the cursor's description: the driver's types)."""
    out: list[tuple[int, Convert]] = []
    for index, column in enumerate(columns):
        if isinstance(column.type, ScaledDecimal):
            out.append((index, from_scaled))
            continue
        process = column.type.dialect_impl(dialect).result_processor(dialect, description[index][1])
        if process is not None:
            out.append((index, process))
    return out


def rows(
    conn: Connection, statement: Select[Any], make: Callable[[Sequence[Any]], T] = tuple  # type: ignore[assignment]
) -> list[T]:
    """Every row of `statement` made into `make(values)` (a tuple by default; a named
    tuple's `_make`), with the Python values `conn.execute(...).all()` would give."""
    result = conn.execute(statement)
    try:
        description = result.cursor.description
        fetched = result.cursor.fetchall()
    finally:
        result.close()
    converters = column_converters(statement.selected_columns, conn.dialect, description)
    if not converters:
        return [make(row) for row in fetched]
    # Row by row (faster than transposing into columns and back), each distinct stored value
    # converted once: quantities repeat (every rule's minimum of 20).
    memos = [(index, convert, {}) for index, convert in converters]
    out = []
    for row in fetched:
        values = list(row)
        for index, convert, memo in memos:
            value = values[index]
            if value is None:
                continue
            try:
                made = memo.get(value)
            except TypeError:  # unhashable (a driver's decoded JSON): converted every time
                values[index] = convert(value)
                continue
            if made is None:
                made = memo[value] = convert(value)
            values[index] = made
        out.append(make(values))
    return out
