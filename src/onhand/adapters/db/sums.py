"""`exact_sum`: a SUM of scaled integers that does not stop at 64 bits.

For sums over many rows that no stored total bounds (a day's journal, inbound moves over
all of history, the valuation total). PostgreSQL sums bigint as numeric: exact whatever
the total, so there it is plain `sum`. SQLite's `sum` stops with "integer overflow" once
a partial sum passes 64 bits; there it is an aggregate registered on every connection
(`engine.py`) that adds Python integers and returns the total as an integer, or as its
decimal text when that does not fit (`ScaledDecimal` reads both).
"""

from __future__ import annotations

from contextlib import suppress
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

SQLITE_NAME = "onhand_exact_sum"
_LOW, _HIGH = -(2**63), 2**63 - 1


class exact_sum(FunctionElement[Any]):
    """Σ column, typed as the column (a `ScaledDecimal` sum is a `ScaledDecimal`)."""

    name = "exact_sum"
    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(exact_sum)
def _sum(element: exact_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"sum({compiler.process(element.clauses, **kw)})"


@compiles(exact_sum, "sqlite")
def _sqlite_sum(element: exact_sum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_NAME}({compiler.process(element.clauses, **kw)})"


class SqliteExactSum:
    """The SQLite aggregate: integers exactly; anything else (a REAL, numeric text) as
    SQLite's own sum would, through Decimal, giving a REAL."""

    def __init__(self) -> None:
        self.total: int | Decimal = 0
        self.seen = False

    def step(self, value: Any) -> None:
        if value is None:
            return
        self.seen = True
        if isinstance(value, int):
            self.total += value
            return
        with suppress(InvalidOperation):  # text that is no number counts as 0, as in SQLite
            self.total = Decimal(self.total) + Decimal(str(value))

    def finalize(self) -> int | str | float | None:
        if not self.seen:
            return None
        if isinstance(self.total, Decimal):
            return float(self.total)
        return self.total if _LOW <= self.total <= _HIGH else str(self.total)
