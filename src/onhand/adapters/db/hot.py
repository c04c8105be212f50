"""The hot statements: compiled once per database driver, run on the DB-API cursor.

Every write runs a few dozen short statements, and SQLAlchemy's execution path around each
(cache key, execution context, parameter dict, result object, events) cost about 80 % of
what the statement cost in all (issue 18's profile: 45 % of a one-line order). A `Hot`
statement keeps what SQLAlchemy compiled (the SQL text, the order of its parameters, their
bind processors) and, per call, only converts the parameters, executes on the connection's
DB-API cursor inside SQLAlchemy's transaction, and makes rows with the result processors
of the columns that need one. The SQL is SQLAlchemy's, the same on SQLite and PostgreSQL.

An `IN` list of up to `MAX_EXPANDED` values is rendered as SQLAlchemy renders it at
execution, run as one of length 1, 2, 4, 8 or 16, its last value repeated (which `IN` and
`NOT IN` do not see): 5 forms of a list, not 16, and of a statement with two lists 25, not
256, each compiled when first met (and by a server's rehearsal before its first request:
services/tools/rehearsal.py). An empty or longer list, and a long batch of `many`, go
through SQLAlchemy.
Python-side column defaults and parameters computed when the statement runs (a bind's
`callable_`) are not computed: a statement that would need one is refused.
Errors are raised as SQLAlchemy's DBAPIError, so the unit of work translates them as it does
every other; `before_cursor_execute` listeners still see each statement (the benchmarks count
statements with one).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

from onhand.adapters.db.bulk_reads import column_converters

Convert = Callable[[Any], Any]
_MISSING = object()
# An expanding parameter (`IN` a list) of at most this many values runs the hot way, one
# form per length; a longer or empty list goes through SQLAlchemy.
MAX_EXPANDED = 16
# `many` runs at most this many parameter sets the hot way (the driver's executemany); more
# go through SQLAlchemy, which makes one INSERT of many rows where the database allows.
MANY_ONE_BY_ONE = 64


def _compile(statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> Any:
    # As for many rows: no RETURNING the statement does not ask for (PostgreSQL would add
    # one for the new row's id); one the statement asks for stays.
    return statement.compile(dialect=dialect, column_keys=list(keys) if keys else None, for_executemany=True)


class _Form:
    """A statement as one driver runs it: text, parameters in order, row making."""

    __slots__ = ("binds", "columns", "converters", "lengths", "positional", "row", "sql")

    def __init__(self, compiled: Any, given: Mapping[str, Any], lengths: Mapping[str, int]) -> None:
        """`compiled`: the statement as `_compile` makes it for `given`'s keys; `lengths`: its
        IN lists' lengths (each list given is made that long: `_padded`)."""
        self.lengths = lengths
        given = _padded(given, lengths)
        if compiled.literal_execute_params:
            raise ValueError("a hot statement cannot have parameters rendered as literals")
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError("a hot statement must be given every column that has a Python-side default")
        self.positional: bool = compiled.positional
        # Where each expanded parameter's value comes from: (parameter, index in its values).
        expanded: dict[str, tuple[str, int]] = {}
        if compiled.post_compile_params:
            # `IN` lists of the lengths given: SQLAlchemy renders them as it would at execution.
            state = compiled.construct_expanded_state(dict(given))
            self.sql: str = state.statement
            names = state.positiontup if self.positional else list(state.parameters)
            processors = {**compiled._bind_processors, **state.processors}  # the latter: expanded ones'
            for name, expansion in state.parameter_expansion.items():
                for index, one in enumerate(expansion):
                    expanded[one] = (compiled.binds[name].key, index)
        else:
            self.sql = compiled.string
            names = compiled.positiontup if self.positional else list(compiled.binds)
            processors = compiled._bind_processors
        escaped = compiled.escaped_bind_names
        # (name in the SQL, key in the caller's parameters, processor, value fixed in the
        # statement, index in an expanding parameter's values or -1)
        self.binds: list[tuple[str, str, Convert | None, Any, int]] = []
        for name in names:
            if name in expanded:
                key, index = expanded[name]
                if key in given:
                    self.binds.append((name, key, processors.get(name), _MISSING, index))
                else:  # a value of an IN list written into the statement
                    self.binds.append((name, name, processors.get(name), state.parameters[name], -1))
                continue
            bind = compiled.binds[name]
            if bind.callable is not None:  # SQLAlchemy calls it at every execution
                raise ValueError("a hot statement cannot have a parameter computed when it runs")
            fixed = _MISSING if bind.required else bind.value
            self.binds.append((escaped.get(name, name), bind.key, processors.get(name), fixed, -1))
        self.columns = list(getattr(compiled.statement, "exported_columns", ()) or ())
        self.converters: list[tuple[int, Convert]] | None = None
        self.row: Any = None

    def parameters(self, given: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values = []
        lists: dict[str, list[Any]] = {}
        for _name, key, process, fixed, index in self.binds:
            if index >= 0:
                flat = lists.get(key)
                if flat is None:  # an IN list, made as long as the form's; of tuples for a tuple IN
                    flat = lists[key] = [v for value in _pad(given[key], self.lengths[key]) for v in _each(value)]
                value = flat[index]
            else:
                value = given.get(key, fixed)
                if value is _MISSING:
                    raise KeyError(f"a value is required for the parameter {key!r}")
            values.append(value if process is None or value is None else process(value))
        if self.positional:
            return tuple(values)
        return {bind[0]: value for bind, value in zip(self.binds, values, strict=True)}

    def read(self, dialect: Dialect, cursor: Any) -> list[Any]:
        """The rows of the cursor's current result (none for a statement without rows)."""
        if self.row is not None:  # psycopg builds the description anew at every reading
            return self.rows_of(dialect, (), cursor.fetchall())
        description = cursor.description
        if description is None:
            return []
        return self.rows_of(dialect, description, cursor.fetchall())

    def rows_of(self, dialect: Dialect, description: Sequence[Any], fetched: list[Any]) -> list[Any]:
        if self.row is None:
            # Once per form: the row type and which columns the driver hands over as other
            # than the type's Python value (the description's type codes, as SQLAlchemy does).
            self.converters = column_converters(self.columns, dialect, description)
            self.row = _row_type([d[0] for d in description])
        make = self.row._make
        if not self.converters:
            return [make(row) for row in fetched]
        out = []
        for row in fetched:
            values = list(row)
            for index, convert in self.converters:
                if values[index] is not None:
                    values[index] = convert(values[index])
            out.append(make(values))
        return out


def _length(count: int) -> int:
    """The length an IN list of `count` values runs as: the next of 1, 2, 4, 8, 16."""
    return 1 << (count - 1).bit_length()


def _pad(values: Sequence[Any], length: int) -> list[Any]:
    """An IN list's values made `length` long, its last value repeated."""
    return [*values, *[values[-1]] * (length - len(values))]


def _padded(given: Mapping[str, Any], lengths: Mapping[str, int]) -> Mapping[str, Any]:
    """`given` with each IN list as long as `lengths` says."""
    if not lengths:
        return given
    return {**given, **{key: _pad(given[key], length) for key, length in lengths.items()}}


def _each(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


def _row_type(names: list[str]) -> Any:
    """A named tuple of these columns with `_mapping` (column → value), as SQLAlchemy's rows."""
    base = namedtuple("HotRow", names, rename=True)  # type: ignore[misc]
    return type("HotRow", (base,), {"__slots__": (), "_mapping": property(base._asdict)})


class Hot:
    """A statement run often (module level, made once), run through `rows`, `one`, `first`,
    `run` or `many` with a unit of work's connection."""

    __slots__ = ("_expanding", "_forms", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._forms: dict[tuple[Any, ...], _Form] = {}
        # The expanding parameters' keys, per driver and keys given.
        self._expanding: dict[tuple[Any, ...], tuple[str, ...]] = {}

    def _form(self, dialect: Dialect, given: Mapping[str, Any]) -> _Form | None:
        """The form for these parameters; None if an IN list is empty or long (SQLAlchemy runs it)."""
        base = (dialect.name, dialect.driver, tuple(given))
        expanding = self._expanding.get(base)
        compiled = None
        if expanding is None:
            compiled = _compile(self.statement, dialect, base[2])
            # (An IN list written into the statement has one length: not a key of the forms.)
            expanding = self._expanding[base] = tuple(sorted(
                {bind.key for bind in compiled.post_compile_params if bind.key in given}))
        index = base
        lengths: dict[str, int] = {}
        if expanding:
            sizes = tuple(len(given[key]) for key in expanding)
            if not 0 < min(sizes) <= max(sizes) <= MAX_EXPANDED:
                return None
            lengths = {key: _length(size) for key, size in zip(expanding, sizes, strict=True)}
            index = (*base, tuple(lengths.values()))
        form = self._forms.get(index)
        if form is None:
            form = self._forms[index] = _Form(compiled or _compile(self.statement, dialect, base[2]), given, lengths)
        return form

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row (named tuples: attributes by column label), with the Python values
        `conn.execute(...).all()` gives."""
        given = params or {}
        form = self._form(conn.dialect, given)
        if form is None:
            return list(conn.execute(self.statement, given))
        cursor = _execute(conn, form.sql, form.parameters(given), many=False)
        try:
            return form.read(conn.dialect, cursor)
        finally:
            cursor.close()

    def one(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        """The one row (an error if none or several)."""
        found = self.rows(conn, params)
        if len(found) != 1:
            raise LookupError(f"one row expected, {len(found)} found")
        return found[0]

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any | None:
        found = self.rows(conn, params)
        return found[0] if found else None

    def run(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Executes a statement without rows; the count of rows it changed."""
        given = params or {}
        form = self._form(conn.dialect, given)
        if form is None:
            return int(conn.execute(self.statement, given).rowcount)
        cursor = _execute(conn, form.sql, form.parameters(given), many=False)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def many(self, conn: Connection, params: Iterable[Mapping[str, Any]]) -> int:
        """Executes a statement without rows once per parameter set (all with the same keys);
        the count of rows changed in all. A long batch goes through SQLAlchemy, which makes
        one statement of many rows where the database allows."""
        batch = list(params)
        if not batch:
            return 0
        if len(batch) > MANY_ONE_BY_ONE:
            return int(conn.execute(self.statement, batch).rowcount)
        form = self._form(conn.dialect, batch[0])
        if form is None:
            return int(conn.execute(self.statement, batch).rowcount)
        if len(batch) == 1:
            cursor = _execute(conn, form.sql, form.parameters(batch[0]), many=False)
        else:
            cursor = _execute(conn, form.sql, [form.parameters(given) for given in batch], many=True)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def many_returning(self, conn: Connection, params: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Executes once per parameter set (all with the same keys) and gives each execution's
        one row, in order (an INSERT … RETURNING of many rows). On psycopg, for 2 to
        `MANY_ONE_BY_ONE` sets, in one pipeline: one round trip for all; else one execution each."""
        if not params:
            return []
        form = self._form(conn.dialect, params[0])
        if form is None or not 1 < len(params) <= MANY_ONE_BY_ONE or conn.dialect.driver != "psycopg":
            return [self.one(conn, given) for given in params]
        cursor = _execute(conn, form.sql, [form.parameters(given) for given in params], many=True, returning=True)
        try:
            found = []
            while True:
                (row,) = form.read(conn.dialect, cursor)
                found.append(row)
                if not cursor.nextset():
                    return found
        finally:
            cursor.close()


def run_sql(conn: Connection, sql: str) -> None:
    """A statement of fixed text without parameters or rows (BEGIN IMMEDIATE), the hot way."""
    _execute(conn, sql, (), many=False).close()


def _execute(conn: Connection, sql: str, parameters: Any, *, many: bool, returning: bool = False) -> Any:
    dispatch = conn.dispatch
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(conn, cursor, sql, parameters, None, many)
        if returning:  # psycopg: each execution's rows kept, read set by set
            cursor.executemany(sql, parameters, returning=True)
        elif many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        return cursor
    except conn.dialect.loaded_dbapi.Error as exc:
        cursor.close()
        dialect = conn.dialect
        invalidated = dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor)
        if invalidated:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            sql, parameters, exc, dialect.loaded_dbapi.Error, connection_invalidated=invalidated, dialect=dialect
        ) from exc
