"""Reservations: stock promised to order lines, and `balances.reserved` beside them.

`reserve` is a guarded conditional update (`... WHERE on_hand - reserved >= :q`), so
concurrent reservations of the last units cannot both succeed. Every change to a
reservation row changes `balances.reserved` by the same amount in the same
transaction; `verify` proves reserved == sum(reservations). Statements are built once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.publishing import Publish, ignore
from onhand.adapters.db.tables import balances, items, locations, lots, reservations, sales_order_lines
from onhand.adapters.db.types import ScaledDecimal
from onhand.domain.ledger.postings import BalanceKey
from onhand.domain.orders.events import ReservationMade, ReservationReleased
from onhand.domain.orders.records import OrderReservationRecord, ReservationRecord

ZERO = Decimal(0)

_KEY = (
    balances.c.item_id == bindparam("b_item"),
    balances.c.location_id == bindparam("b_location"),
    balances.c.lot_key == bindparam("b_lot"),
)
_QUANTITY = bindparam("amount", type_=ScaledDecimal())
_FREE_STOCK = Hot(
    select(
        balances.c.item_id,
        balances.c.location_id,
        balances.c.lot_key,
        (balances.c.on_hand - balances.c.reserved).label("free"),
        lots.c.code.label("lot_code"),
        lots.c.expiry_date,
        lots.c.status.label("lot_status"),
    )
    .outerjoin(lots, balances.c.lot_key == lots.c.id)
    .where(
        balances.c.item_id.in_(bindparam("item_ids", expanding=True)),
        balances.c.location_id.in_(bindparam("location_ids", expanding=True)),
        balances.c.on_hand - balances.c.reserved > 0,
    )
)
# The same, each balance row locked until commit (for a wave that plans in memory).
_FREE_STOCK_LOCKED = Hot(_FREE_STOCK.statement.order_by(
    balances.c.item_id, balances.c.location_id, balances.c.lot_key
).with_for_update(of=balances))
_FREE = Hot(select((balances.c.on_hand - balances.c.reserved).label("free")).where(*_KEY))
_RESERVE = Hot(
    update(balances)
    .where(*_KEY, balances.c.on_hand - balances.c.reserved >= _QUANTITY)
    .values(reserved=balances.c.reserved + _QUANTITY)
)
_UNRESERVE = Hot(update(balances).where(*_KEY).values(reserved=balances.c.reserved - _QUANTITY))
_SET_RESERVED = update(balances).where(*_KEY).values(reserved=_QUANTITY)
_ROW_ID = bindparam("row_key")
_ADD_BY_DIALECT: dict[str, tuple[Hot, Hot]] = {}


def _add_reservation(dialect: str) -> tuple[Hot, Hot]:
    """INSERT … ON CONFLICT DO UPDATE: one row per line and balance grows, built once per
    dialect; the same returning the row as it is after (for one row at a time)."""
    if dialect not in _ADD_BY_DIALECT:
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(reservations)
        upsert = statement.on_conflict_do_update(
            index_elements=[
                reservations.c.order_line_id, reservations.c.item_id, reservations.c.location_id,
                reservations.c.lot_key,
            ],
            set_={
                "quantity": reservations.c.quantity + statement.excluded.quantity,
                "picked": reservations.c.picked + statement.excluded.picked,
            },
        )
        _ADD_BY_DIALECT[dialect] = Hot(upsert), Hot(upsert.returning(*reservations.c))
    return _ADD_BY_DIALECT[dialect]


# An order's reservations with their line, item, place and lot: in line order, first-expiring
# first and without an expiry last, on either database (`views.held_order`), then oldest first.
_WITH_DETAILS = (
    select(
        reservations,
        sales_order_lines.c.line_no,
        items.c.sku,
        locations.c.code.label("location_code"),
        locations.c.walk_order,
        lots.c.code.label("lot_code"),
        lots.c.expiry_date,
    )
    .join_from(reservations, sales_order_lines)
    .join(items, reservations.c.item_id == items.c.id)
    .join(locations, reservations.c.location_id == locations.c.id)
    .outerjoin(lots, reservations.c.lot_key == lots.c.id)
    .order_by(sales_order_lines.c.line_no, lots.c.expiry_date.nulls_last(), reservations.c.id)
)
_OF_ORDER = Hot(_WITH_DETAILS.where(sales_order_lines.c.order_id == bindparam("order_key")))
_OF_ORDERS = Hot(
    _WITH_DETAILS.add_columns(sales_order_lines.c.order_id.label("of_order"))
    .where(sales_order_lines.c.order_id.in_(bindparam("order_keys", expanding=True)))
)
_AT_BALANCE = (
    select(reservations)
    .where(
        reservations.c.item_id == bindparam("b_item"),
        reservations.c.location_id == bindparam("b_location"),
        reservations.c.lot_key == bindparam("b_lot"),
    )
    .order_by(reservations.c.id.desc())
)
_AT_LOCATIONS = (
    select(reservations)
    .where(reservations.c.location_id.in_(bindparam("location_keys", expanding=True)))
    .order_by(reservations.c.id)
)
_OF_LOT = select(reservations).where(reservations.c.lot_key == bindparam("lot_key_of")).order_by(reservations.c.id)
_PICK = Hot(update(reservations).where(reservations.c.id == _ROW_ID).values(picked=reservations.c.picked + _QUANTITY))
_LEFT = reservations.c.quantity - _QUANTITY
# Releasing keeps picked units as long as they fit; consuming (shipping) takes them first.
_RELEASE = Hot(
    update(reservations)
    .where(reservations.c.id == _ROW_ID)
    .values(quantity=_LEFT, picked=case((reservations.c.picked > _LEFT, _LEFT), else_=reservations.c.picked))
)
_CONSUME = Hot(
    update(reservations)
    .where(reservations.c.id == _ROW_ID)
    .values(
        quantity=_LEFT,
        picked=case((reservations.c.picked > _QUANTITY, reservations.c.picked - _QUANTITY), else_=ZERO),
    )
)
_DROP_EMPTY = Hot(delete(reservations).where(reservations.c.id == _ROW_ID, reservations.c.quantity <= 0))
_DROP = Hot(delete(reservations).where(reservations.c.id == _ROW_ID, reservations.c.quantity == _QUANTITY))


def _row(line_id: int, key: BalanceKey, quantity: Decimal, picked: Decimal, at: datetime) -> dict[str, Any]:
    """A reservation row as `_add_reservation` takes it."""
    return {"order_line_id": line_id, "item_id": key[0], "location_id": key[1], "lot_key": key[2],
            "quantity": quantity, "picked": picked, "created_at": at}


def _key(key: BalanceKey) -> dict[str, int]:
    return {"b_item": key[0], "b_location": key[1], "b_lot": key[2]}


# A reservation as read alone or with its order's details: release and consume take either.
Reservation = ReservationRecord | OrderReservationRecord


def _reservations(rows: Iterable[Any]) -> list[ReservationRecord]:
    return [ReservationRecord(**row._mapping) for row in rows]


class ReservationRepository:
    def __init__(self, conn: Connection, publish: Publish = ignore) -> None:
        self._conn = conn
        self._publish = publish
        self._add, self._add_returning = _add_reservation(conn.dialect.name)

    # --- stock to reserve from -----------------------------------------------------

    def stock(self, item_ids: list[int], location_ids: list[int], *, lock: bool = False) -> list[Any]:
        """Balances with free stock (on hand − reserved > 0), with their lot facts;
        with `lock`, each row is locked until commit (in key order)."""
        if not item_ids or not location_ids:
            return []
        query = _FREE_STOCK_LOCKED if lock else _FREE_STOCK
        return query.rows(self._conn, {"item_ids": item_ids, "location_ids": location_ids})

    def free(self, key: BalanceKey) -> Decimal:
        row = _FREE.first(self._conn, _key(key))
        return row.free if row is not None and row.free is not None else ZERO

    def reserve(self, key: BalanceKey, quantity: Decimal) -> bool:
        """Reserve `quantity` of a balance if (and only if) that much is free right now."""
        return _RESERVE.run(self._conn, {**_key(key), "amount": quantity}) == 1

    def reserve_many(self, takes: list[tuple[int, BalanceKey, Decimal]], *, at: datetime) -> bool:
        """Reserve (order line, balance, quantity) takes and record them, in two statements:
        all of them, or — if any balance no longer has that much free — none (False)."""
        merged: dict[tuple[int, BalanceKey], Decimal] = defaultdict(Decimal)
        per_balance: dict[BalanceKey, Decimal] = defaultdict(Decimal)
        for line_id, key, quantity in takes:
            merged[(line_id, key)] += quantity
            per_balance[key] += quantity
        if not merged:
            return True
        attempt = self._conn.begin_nested()
        wanted = [{**_key(key), "amount": quantity} for key, quantity in sorted(per_balance.items())]
        if _RESERVE.many(self._conn, wanted) != len(wanted):
            attempt.rollback()
            return False
        attempt.commit()
        rows = [_row(line_id, key, quantity, ZERO, at) for (line_id, key), quantity in merged.items()]
        self._add.many(self._conn, rows)
        for (line_id, key), quantity in merged.items():
            self._publish(ReservationMade(line_id, key, quantity))
        return True

    # --- reservation rows ----------------------------------------------------------

    def add(
        self, line_id: int, key: BalanceKey, quantity: Decimal, *, picked: Decimal, at: datetime
    ) -> ReservationRecord:
        """Record a reservation already taken with `reserve` (merged per line and balance):
        the reservation's row as it is now."""
        row = self._add_returning.one(self._conn, _row(line_id, key, quantity, picked, at))
        self._publish(ReservationMade(line_id, key, quantity))
        return ReservationRecord(**row._mapping)

    def for_order(self, order_id: int) -> list[OrderReservationRecord]:
        rows = _OF_ORDER.rows(self._conn, {"order_key": order_id})
        return [OrderReservationRecord(**row._mapping) for row in rows]

    def for_orders(self, order_ids: list[int]) -> dict[int, list[OrderReservationRecord]]:
        """`for_order` of several orders in one statement, by order id."""
        found: dict[int, list[OrderReservationRecord]] = {order_id: [] for order_id in order_ids}
        if order_ids:
            for row in _OF_ORDERS.rows(self._conn, {"order_keys": order_ids}):
                values = dict(row._mapping)
                found[values.pop("of_order")].append(OrderReservationRecord(**values))
        return found

    def at_locations(self, location_ids: list[int]) -> list[ReservationRecord]:
        if not location_ids:
            return []
        return _reservations(self._conn.execute(_AT_LOCATIONS, {"location_keys": location_ids}))

    def of_lot(self, lot_id: int) -> list[ReservationRecord]:
        return _reservations(self._conn.execute(_OF_LOT, {"lot_key_of": lot_id}))

    def at_balance_newest_first(self, key: BalanceKey) -> list[ReservationRecord]:
        return _reservations(self._conn.execute(_AT_BALANCE, _key(key)))

    def release(self, row: Reservation, quantity: Decimal) -> None:
        """Give back `quantity` of a reservation to free stock, unpicked units first."""
        self._shrink(_RELEASE, row, quantity)
        self._publish(ReservationReleased(row.order_line_id, (row.item_id, row.location_id, row.lot_key), quantity,
                                          shipped=False))

    def consume(self, row: Reservation, quantity: Decimal) -> None:
        """`quantity` of the reserved stock leaves (is shipped), picked units first."""
        self._shrink(_CONSUME, row, quantity)
        self._publish(ReservationReleased(row.order_line_id, (row.item_id, row.location_id, row.lot_key), quantity,
                                          shipped=True))

    def pick(self, reservation_id: int, quantity: Decimal) -> None:
        _PICK.run(self._conn, {"row_key": reservation_id, "amount": quantity})

    def _shrink(self, statement: Hot, row: Reservation, quantity: Decimal) -> None:
        # The whole row goes in one statement if it is still as read; otherwise (changed
        # since) the arithmetic is done in SQL so that a concurrent change is not lost.
        whole = quantity == row.quantity and _DROP.run(self._conn, {"row_key": row.id, "amount": quantity}) == 1
        if not whole:
            statement.run(self._conn, {"row_key": row.id, "amount": quantity})
            _DROP_EMPTY.run(self._conn, {"row_key": row.id})
        key = (row.item_id, row.location_id, row.lot_key)
        _UNRESERVE.run(self._conn, {**_key(key), "amount": quantity})

    # --- integrity -----------------------------------------------------------------

    def set_reserved(self, key: BalanceKey, value: Decimal) -> None:
        self._conn.execute(_SET_RESERVED, {**_key(key), "amount": value})
