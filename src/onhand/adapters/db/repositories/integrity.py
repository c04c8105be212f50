"""What `verify` and `rebuild` read: the ledger folded, and what the projections hold.

`verify` must report whatever is stored, never fail on it, so:

- sums are taken in three parts of each scaled integer (10^12s, 10^6s, the rest), joined
  exactly in Python: no partial sum nears 64 bits however many rows (SQLite stops with
  "integer overflow" where a plain SUM would; PostgreSQL sums bigint as numeric anyway);
- stored numbers are read raw and converted here: a value that is not an integer (a REAL
  SQLite made of an overflowing sum, text) becomes the nearest Decimal, or None if it is
  no number at all, and `stored_out_of_range` lists every such value and every integer
  beyond ±MAX_TOTAL_QUANTITY.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from onhand.adapters.db.tables import balances, moves, reservations, sales_order_lines, sales_orders, shipment_lines
from onhand.adapters.db.tables.core import RESERVING
from onhand.domain.ledger.postings import BalanceKey
from onhand.domain.quantities import MAX_DECIMALS, MAX_TOTAL_QUANTITY

_SCALE = 10**MAX_DECIMALS
FOLD_WORK_MEM = "32MB"  # PostgreSQL's memory a sort or hash of the fold may take before it spills
_PARTS = (10**12, 10**6, 1)  # q = Σ part_i × (q / part_i mod 10^6), signs kept (truncating division)
_LIMIT = int(MAX_TOTAL_QUANTITY) * _SCALE


def _raw(column: Any) -> Any:
    """The stored integer itself, not the column type's Decimal."""
    return type_coerce(column, BigInteger)


def _sum_parts(column: Any, label: str) -> list[ColumnElement[Any]]:
    """Σ column in three parts (see `_PARTS`), labelled label_0 … label_2. `//` is integer
    division truncating towards zero and `%` keeps the dividend's sign, on both engines."""
    raw = _raw(column)
    parts = [raw // _PARTS[0], (raw // _PARTS[1]) % 10**6, raw % 10**6]
    return [type_coerce(func.sum(part), BigInteger).label(f"{label}_{n}") for n, part in enumerate(parts)]


def _joined(row: Any, label: str) -> Decimal | None:
    """The exact sum of a `_sum_parts` group, as a quantity (None if nothing was summed)."""
    parts = [getattr(row, f"{label}_{n}") for n in range(len(_PARTS))]
    if all(part is None for part in parts):
        return None
    total = sum((_number(part) * scale for part, scale in zip(parts, _PARTS, strict=True)), Decimal(0))
    return total / _SCALE


def _number(value: Any) -> Decimal:
    """A raw stored value as a Decimal: exact for an integer, nearest for anything numeric."""
    if value is None:
        return Decimal(0)
    if isinstance(value, int):
        return Decimal(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)
    return number if number.is_finite() else Decimal(0)


def _quantity(value: Any) -> Decimal:
    return _number(value) / _SCALE


def _is_zero(parts: list[Any]) -> ColumnElement[bool]:
    """Σ part_i × _PARTS[i] == 0, exactly and without passing 64 bits: the 10^6s must carry
    the rest, and the 10^12s cancel what they carry (each division is exact when reached)."""
    high, middle, low = parts
    carried = middle + low // 10**6
    return and_(low % 10**6 == 0, carried % 10**6 == 0, high + carried // 10**6 == 0)


def _stored_integer(column: Any, dialect: str) -> Any:
    """The stored value if it is an integer, else 0: SQLite keeps whatever it was given (a
    REAL, text), which is read in Python instead (`_odd`)."""
    raw = _raw(column)
    if dialect == "sqlite":
        return type_coerce(case((func.typeof(column) == "integer", raw), else_=0), BigInteger)
    return raw


def _odd(column: Any, dialect: str) -> Any:
    """1 where the stored value is no integer (SQLite only), else 0."""
    if dialect == "sqlite":
        return case((func.typeof(column) != "integer", 1), else_=0)
    return literal(0)


@cache  # built once per dialect and form, not for every unit of work
def _projection_differences(dialect: str, *, in_parts: bool = False) -> Any:
    """Each balance whose on hand may differ from the fold of the moves: the moves' sides and
    the balance's on hand (negated) summed per key in one pass, kept where they do not
    cancel or the stored value is no integer. Returns the sum as three parts (fold − on
    hand, the integer part; `_sum_parts`, or the whole sum in the last) and the stored
    value; Python decides exactly (`projection_differences`). On SQLite one SUM is exact
    or stops with "integer overflow"; `in_parts` sums in parts, which never overflows."""
    lot_key = func.coalesce(moves.c.lot_id, 0)
    no_value = cast(null(), BigInteger)
    sides = union_all(
        select(moves.c.item_id, moves.c.to_location_id.label("location_id"), lot_key.label("lot_key"),
               _raw(moves.c.quantity).label("quantity"), no_value.label("stored")),
        select(moves.c.item_id, moves.c.from_location_id, lot_key, -_raw(moves.c.quantity), no_value),
        select(balances.c.item_id, balances.c.location_id, balances.c.lot_key,
               -_stored_integer(balances.c.on_hand, dialect), _raw(balances.c.on_hand)),
    ).subquery()
    if in_parts:
        parts = _sum_parts(sides.c.quantity, "d")
        differ = not_(_is_zero([part.element for part in parts]))
    else:  # PostgreSQL sums bigint as numeric: exact as it is; and one sum is cheaper than three
        total = type_coerce(func.sum(sides.c.quantity), BigInteger)
        parts = [literal(0).label("d_0"), literal(0).label("d_1"), total.label("d_2")]
        differ = total != 0
    if dialect == "sqlite":  # a stored value that is no integer is always Python's to judge
        differ = or_(differ, func.typeof(func.max(sides.c.stored)).not_in(("integer", "null")))
    return _constants_inline(
        select(sides.c.item_id, sides.c.location_id, sides.c.lot_key, *parts,
               func.max(sides.c.stored).label("stored"))
        .group_by(sides.c.item_id, sides.c.location_id, sides.c.lot_key)
        .having(differ)
        .order_by(sides.c.item_id, sides.c.location_id, sides.c.lot_key),
        dialect,
    )


def _constants_inline(query: Any, dialect: str) -> Any:
    """On SQLite, `query` with its constants (the parts' divisors, the lot key's default)
    written into the SQL instead of bound: the fold of 2.7 million rows at a million moves
    took 2.35 s with them bound and 1.7 s with them written (measured on the same file)."""
    if dialect != "sqlite":
        return query
    return text(str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})))


@cache
def _below_zero(dialect: str) -> Any:
    """On hand of the balances that may be below zero but for the places given: one scan of
    the table (nearly every place is guarded, so the few others are left out, not the many
    looked up by index); virtual places, below zero by nature, are among those left out."""
    return (
        select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, _raw(balances.c.on_hand))
        .where(balances.c.location_id.not_in(bindparam("others", expanding=True)),
               or_(_raw(balances.c.on_hand) < 0, _odd(balances.c.on_hand, dialect) == 1))
    )  # no ORDER BY: walking the key's index would read the table in random order; the few found are sorted


_BALANCE_COUNT = select(func.count()).select_from(balances)


@cache
def _reserved(dialect: str) -> Any:
    """The balances holding a reservation, by their own small index (`ix_balances_reserving`).
    SQLite is told it (INDEXED BY): with no statistics of an index that is often empty, its
    planner took the holding index, most of the table at a million moves (0.22 s against ~0)."""
    query = select(balances.c.item_id, balances.c.location_id, balances.c.lot_key,
                   _raw(balances.c.reserved), _raw(balances.c.on_hand)).where(text(f"({RESERVING})"))
    if dialect != "sqlite":
        return query
    sql = str(query.compile(dialect=sqlite.dialect())).replace(
        "FROM balances", "FROM balances INDEXED BY ix_balances_reserving", 1)
    return text(sql)


_PROMISED = select(reservations.c.item_id, reservations.c.location_id, reservations.c.lot_key,
                   *_sum_parts(reservations.c.quantity, "q")).group_by(
    reservations.c.item_id, reservations.c.location_id, reservations.c.lot_key)
_HELD_BY_LINE = (
    select(reservations.c.order_line_id.label("line_id"), *_sum_parts(reservations.c.quantity, "r"))
    .group_by(reservations.c.order_line_id).subquery()
)
_SHIPPED_BY_LINE = (
    select(shipment_lines.c.order_line_id.label("line_id"), *_sum_parts(shipment_lines.c.quantity, "s"))
    .group_by(shipment_lines.c.order_line_id).subquery()
)
_PROMISING_LINES = (
    select(sales_orders.c.reference, sales_orders.c.cancelled_at, sales_order_lines.c.line_no,
           _raw(sales_order_lines.c.quantity).label("quantity"),
           *[_HELD_BY_LINE.c[f"r_{n}"] for n in range(len(_PARTS))],
           *[_SHIPPED_BY_LINE.c[f"s_{n}"] for n in range(len(_PARTS))])
    .join_from(sales_order_lines, sales_orders, sales_order_lines.c.order_id == sales_orders.c.id)
    .join(_HELD_BY_LINE, _HELD_BY_LINE.c.line_id == sales_order_lines.c.id)
    .outerjoin(_SHIPPED_BY_LINE, _SHIPPED_BY_LINE.c.line_id == sales_order_lines.c.id)
    .order_by(sales_orders.c.reference, sales_order_lines.c.line_no)
)
_LOW, _HIGH = bindparam("low", -_LIMIT, type_=BigInteger), bindparam("high", _LIMIT, type_=BigInteger)


@cache  # built once per dialect, not for every unit of work
def _stored_checks(dialect: str) -> tuple[tuple[str, Any], ...]:
    """(what, query of (item, location, lot, raw value as text)) for each stored quantity."""
    checked = [
        ("on hand", balances, balances.c.on_hand, balances.c.location_id, balances.c.lot_key),
        ("reserved", balances, balances.c.reserved, balances.c.location_id, balances.c.lot_key),
        ("a move's quantity", moves, moves.c.quantity, moves.c.to_location_id, func.coalesce(moves.c.lot_id, 0)),
        ("a reservation", reservations, reservations.c.quantity, reservations.c.location_id, reservations.c.lot_key),
    ]
    queries = []
    for what, table, column, location, lot in checked:
        raw = _raw(column)
        wrong = [raw < _LOW, raw > _HIGH]
        if dialect == "sqlite":  # SQLite keeps whatever it was given: a REAL, text
            wrong.append(func.typeof(column) != "integer")
        queries.append((what, select(table.c.item_id, location, lot, cast(column, String)).where(or_(*wrong))))
    return tuple(queries)


class IntegrityRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._dialect = conn.dialect.name
        self._checks = _stored_checks(self._dialect)

    def projection_differences(self) -> Iterator[tuple[BalanceKey, Decimal, Decimal]]:
        """(key, on hand folded from the moves, on hand stored) of each balance where the two
        differ, exactly, by key; a fold with no balance row is stored as 0, and so is a row
        with no moves. Only the differences reach Python: memory does not grow with the ledger."""
        for r in self._folded():
            stored = r.stored
            folded = (_joined(r, "d") or Decimal(0)) + (Decimal(stored) / _SCALE if isinstance(stored, int) else 0)
            actual = _quantity(stored)
            if folded != actual:
                yield (int(r.item_id), int(r.location_id), int(r.lot_key)), folded, actual

    def _folded(self) -> Iterable[Any]:
        if self._dialect != "sqlite":
            # With the 4 MB PostgreSQL gives a sort or a hash by default, the fold of a million
            # moves spills to disk (1.9 s); with 32 MB, for this transaction only, 1.4 s.
            self._conn.exec_driver_sql(f"SET LOCAL work_mem = '{FOLD_WORK_MEM}'")
            return self._conn.execute(_projection_differences(self._dialect))
        try:  # only the differences, so a list; the parts' query cannot stop halfway
            return self._conn.execute(_projection_differences(self._dialect)).all()
        except OperationalError as exc:
            if "integer overflow" not in str(exc.orig):
                raise
        # Some key's moves sum past 64 bits (SQLite's SUM stopped): summed again in parts.
        return self._conn.execute(_projection_differences(self._dialect, in_parts=True))

    def below_zero(self, location_ids: Iterable[int], others: Iterable[int]) -> Iterator[tuple[BalanceKey, Decimal]]:
        """(key, on hand) of each balance below zero at `location_ids`, by key; `others` are
        every other place, which the database leaves out."""
        places = set(location_ids)
        found = []
        for r in self._conn.execute(_below_zero(self._dialect), {"others": sorted(others)}):
            value = _quantity(r[3])
            if value < 0 and int(r[1]) in places:
                found.append(((int(r[0]), int(r[1]), int(r[2])), value))
        yield from sorted(found)

    def balance_count(self) -> int:
        return int(self._conn.execute(_BALANCE_COUNT).scalar_one())

    def reserved(self) -> dict[BalanceKey, tuple[Decimal, Decimal]]:
        """(reserved, on hand) of each balance holding a reservation."""
        return {(int(r[0]), int(r[1]), int(r[2])): (_quantity(r[3]), _quantity(r[4]))
                for r in self._conn.execute(_reserved(self._dialect))}

    def promised(self) -> dict[BalanceKey, Decimal]:
        """The sum of the reservations of each balance."""
        return {(int(r.item_id), int(r.location_id), int(r.lot_key)): _joined(r, "q") or Decimal(0)
                for r in self._conn.execute(_PROMISED)}

    def promising_lines(self) -> Iterator[tuple[str, Any, int, Decimal, Decimal, Decimal]]:
        """(reference, cancelled_at, line_no, quantity, reserved, shipped) of each line holding a reservation."""
        for r in self._conn.execute(_PROMISING_LINES):
            yield (r.reference, r.cancelled_at, int(r.line_no), _quantity(r.quantity),
                   _joined(r, "r") or Decimal(0), _joined(r, "s") or Decimal(0))

    def stored_out_of_range(self) -> list[tuple[str, int, int, int, str]]:
        """(what, item, location, lot, the value as stored) of each stored quantity that is not
        an integer within ±MAX_TOTAL_QUANTITY (scaled)."""
        found = []
        for what, query in self._checks:
            found += [(what, int(r[0]), int(r[1]), int(r[2] or 0), str(r[3])) for r in self._conn.execute(query)]
        return found

