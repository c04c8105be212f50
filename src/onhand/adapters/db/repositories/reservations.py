"""Reservations: stock promised to order lines, and `balances.reserved` beside them.

`reserve` is a guarded conditional update (`... WHERE on_hand - reserved >= :q`), so
concurrent reservations of the last units cannot both succeed. Every change to a
reservation row changes `balances.reserved` by the same amount in the same
transaction; `verify` proves reserved == sum(reservations).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, select, update

from onhand.adapters.db.tables import balances, items, locations, lots, reservations, sales_order_lines
from onhand.domain.ledger import BalanceKey

ZERO = Decimal(0)


def _key_filter(key: BalanceKey) -> tuple[Any, ...]:
    item_id, location_id, lot_key = key
    return (
        balances.c.item_id == item_id,
        balances.c.location_id == location_id,
        balances.c.lot_key == lot_key,
    )


class ReservationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- stock to reserve from -----------------------------------------------------

    def stock(self, item_ids: list[int], location_ids: list[int]) -> list[Any]:
        """Balances with free stock (on hand − reserved > 0), with their lot facts."""
        query = (
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
                balances.c.item_id.in_(item_ids),
                balances.c.location_id.in_(location_ids),
                balances.c.on_hand - balances.c.reserved > 0,
            )
        )
        return list(self._conn.execute(query))

    def free(self, key: BalanceKey) -> Decimal:
        query = select(balances.c.on_hand - balances.c.reserved).where(*_key_filter(key))
        value = self._conn.execute(query).scalar()
        return value if value is not None else ZERO

    def reserve(self, key: BalanceKey, quantity: Decimal) -> bool:
        """Reserve `quantity` of a balance if (and only if) that much is free right now."""
        result = self._conn.execute(
            update(balances)
            .where(*_key_filter(key), balances.c.on_hand - balances.c.reserved >= quantity)
            .values(reserved=balances.c.reserved + quantity)
        )
        return result.rowcount == 1

    def _unreserve(self, key: BalanceKey, quantity: Decimal) -> None:
        self._conn.execute(
            update(balances).where(*_key_filter(key)).values(reserved=balances.c.reserved - quantity)
        )

    # --- reservation rows ----------------------------------------------------------

    def add(self, line_id: int, key: BalanceKey, quantity: Decimal, *, picked: Decimal, at: datetime) -> None:
        """Record a reservation already taken with `reserve` (merged per line and balance)."""
        item_id, location_id, lot_key = key
        existing = self._conn.execute(
            select(reservations.c.id).where(
                reservations.c.order_line_id == line_id,
                reservations.c.location_id == location_id,
                reservations.c.lot_key == lot_key,
            )
        ).first()
        if existing:
            self._conn.execute(
                update(reservations)
                .where(reservations.c.id == existing.id)
                .values(quantity=reservations.c.quantity + quantity, picked=reservations.c.picked + picked)
            )
            return
        self._conn.execute(
            insert(reservations).values(
                order_line_id=line_id, item_id=item_id, location_id=location_id, lot_key=lot_key,
                quantity=quantity, picked=picked, created_at=at,
            )
        )

    def for_order(self, order_id: int) -> list[Any]:
        query = (
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
            .where(sales_order_lines.c.order_id == order_id)
            .order_by(sales_order_lines.c.line_no, lots.c.expiry_date, reservations.c.id)
        )
        return list(self._conn.execute(query))

    def at_balance_newest_first(self, key: BalanceKey) -> list[Any]:
        item_id, location_id, lot_key = key
        query = (
            select(reservations)
            .where(
                reservations.c.item_id == item_id,
                reservations.c.location_id == location_id,
                reservations.c.lot_key == lot_key,
            )
            .order_by(reservations.c.id.desc())
        )
        return list(self._conn.execute(query))

    def release(self, row: Any, quantity: Decimal) -> None:
        """Give back `quantity` of a reservation to free stock, unpicked units first."""
        left, picked = reservations.c.quantity - quantity, reservations.c.picked
        self._shrink(row, quantity, picked=case((picked > left, left), else_=picked))

    def consume(self, row: Any, quantity: Decimal) -> None:
        """`quantity` of the reserved stock leaves (is shipped), picked units first."""
        picked = reservations.c.picked
        self._shrink(row, quantity, picked=case((picked > quantity, picked - quantity), else_=ZERO))

    def pick(self, reservation_id: int, quantity: Decimal) -> None:
        self._conn.execute(
            update(reservations)
            .where(reservations.c.id == reservation_id)
            .values(picked=reservations.c.picked + quantity)
        )

    def _shrink(self, row: Any, quantity: Decimal, *, picked: Any) -> None:
        # Arithmetic in SQL, not on the row read earlier, so a concurrent change is not lost.
        self._conn.execute(
            update(reservations)
            .where(reservations.c.id == row.id)
            .values(quantity=reservations.c.quantity - quantity, picked=picked)
        )
        self._conn.execute(
            delete(reservations).where(reservations.c.id == row.id, reservations.c.quantity <= 0)
        )
        self._unreserve((row.item_id, row.location_id, row.lot_key), quantity)

    # --- integrity -----------------------------------------------------------------

    def totals(self) -> dict[BalanceKey, Decimal]:
        query = select(
            reservations.c.item_id, reservations.c.location_id, reservations.c.lot_key,
            func.sum(reservations.c.quantity),
        ).group_by(reservations.c.item_id, reservations.c.location_id, reservations.c.lot_key)
        return {(r[0], r[1], r[2]): r[3] for r in self._conn.execute(query)}

    def projected(self) -> dict[BalanceKey, Decimal]:
        query = select(balances.c.item_id, balances.c.location_id, balances.c.lot_key, balances.c.reserved)
        return {(r[0], r[1], r[2]): r[3] for r in self._conn.execute(query).all() if r[3]}

    def set_reserved(self, key: BalanceKey, value: Decimal) -> None:
        self._conn.execute(update(balances).where(*_key_filter(key)).values(reserved=value))
