"""Cycle counts' rows (count sessions and their lines) and the reads they need: value
shipped per item, stock per item and place, when each pair was last counted."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, select, type_coerce, update

from onhand.adapters.db.tables import balances, items, locations
from onhand.adapters.db.tables.core import lots, moves, postings
from onhand.adapters.db.tables.cycle_counts import count_session_lines, count_sessions
from onhand.adapters.db.tables.valuation import move_values
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime
from onhand.domain.planning.cycle_counts import SessionStatus
from onhand.domain.planning.records import SessionLine, SessionRecord

ZERO = Decimal(0)


def _q(expression: Any) -> Any:
    return type_coerce(expression, ScaledDecimal())


_SESSION = select(
    count_sessions.c.id, count_sessions.c.location_id, locations.c.code, count_sessions.c.status,
    count_sessions.c.opened_at, count_sessions.c.opened_by, count_sessions.c.closed_at, count_sessions.c.posting_id,
).join_from(count_sessions, locations, count_sessions.c.location_id == locations.c.id)


def _session(row: Any) -> SessionRecord:
    return SessionRecord(row.id, row.location_id, row.code, SessionStatus(row.status), row.opened_at,
                         row.opened_by, row.closed_at, row.posting_id)


class CycleCountRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # --- reads for the classification and the plan ------------------------------------

    def value_shipped(self, *, since: datetime, until: datetime) -> dict[int, Decimal]:
        """Σ cost value of moves to customers minus those back from them, per item."""
        customer = select(locations.c.id).where(locations.c.kind == "customer").scalar_subquery()
        signed = case((moves.c.to_location_id == customer, move_values.c.value), else_=-move_values.c.value)
        query = (
            select(moves.c.item_id, _q(func.sum(signed)))
            .join_from(moves, postings, moves.c.posting_id == postings.c.id)
            .join(move_values, move_values.c.move_id == moves.c.id)
            .where((moves.c.to_location_id == customer) | (moves.c.from_location_id == customer),
                   postings.c.effective_at >= since, postings.c.effective_at < until)
            .group_by(moves.c.item_id)
        )
        return {item_id: value or ZERO for item_id, value in self._conn.execute(query)}

    def stocked_items(self) -> list[tuple[int, str]]:
        """Items that can hold stock (bundles cannot), by SKU."""
        query = select(items.c.id, items.c.sku).where(items.c.kind != "bundle").order_by(items.c.sku)
        return [(row.id, row.sku) for row in self._conn.execute(query)]

    def stock(self, location_ids: list[int]) -> list[tuple[int, int, Decimal]]:
        """(item, location, on hand) with stock, lots added up, at these places."""
        total = _q(func.sum(balances.c.on_hand))
        query = (
            select(balances.c.item_id, balances.c.location_id, total)
            .where(balances.c.location_id.in_(location_ids))
            .group_by(balances.c.item_id, balances.c.location_id)
            .having(func.sum(balances.c.on_hand) > 0)
        )
        return [tuple(row) for row in self._conn.execute(query)]  # type: ignore[misc]

    def last_counted(self, location_ids: list[int]) -> dict[tuple[int, int], datetime]:
        """When each (item, location) was last counted by a posted session."""
        query = (
            select(count_session_lines.c.item_id, count_sessions.c.location_id,
                   type_coerce(func.max(count_sessions.c.closed_at), UtcDateTime()))
            .join_from(count_session_lines, count_sessions, count_session_lines.c.session_id == count_sessions.c.id)
            .where(count_sessions.c.status == SessionStatus.POSTED.value,
                   count_sessions.c.location_id.in_(location_ids))
            .group_by(count_session_lines.c.item_id, count_sessions.c.location_id)
        )
        return {(row[0], row[1]): row[2] for row in self._conn.execute(query)}

    # --- sessions ----------------------------------------------------------------------

    def book(self, location_id: int, item_ids: list[int] | None) -> list[tuple[int, int, Decimal]]:
        """(item, lot key, on hand) at exactly this place, rows that are not zero."""
        query = select(balances.c.item_id, balances.c.lot_key, balances.c.on_hand).where(
            balances.c.location_id == location_id, balances.c.on_hand != 0)
        if item_ids is not None:
            query = query.where(balances.c.item_id.in_(item_ids))
        return [tuple(row) for row in self._conn.execute(query)]  # type: ignore[misc]

    def on_hand(self, location_id: int, keys: list[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
        item_ids = sorted({item_id for item_id, _ in keys})
        query = select(balances.c.item_id, balances.c.lot_key, balances.c.on_hand).where(
            balances.c.location_id == location_id, balances.c.item_id.in_(item_ids))
        return {(row[0], row[1]): row[2] for row in self._conn.execute(query)}

    def open_session(self, location_id: int, at: datetime, by: str,
                     lines: list[tuple[int, int, Decimal]]) -> int:
        result = self._conn.execute(insert(count_sessions).values(
            location_id=location_id, status=SessionStatus.OPEN.value, opened_at=at, opened_by=by))
        session_id = int(result.inserted_primary_key[0])
        if lines:
            self._conn.execute(insert(count_session_lines), [
                {"session_id": session_id, "item_id": item_id, "lot_key": lot_key, "frozen": frozen}
                for item_id, lot_key, frozen in lines])
        return session_id

    def session(self, session_id: int, *, for_update: bool = False) -> SessionRecord | None:
        query = _SESSION.where(count_sessions.c.id == session_id)
        if for_update:
            query = query.with_for_update(of=count_sessions)
        row = self._conn.execute(query).first()
        return None if row is None else _session(row)

    def sessions(self, status: SessionStatus | None, limit: int) -> list[SessionRecord]:
        query = _SESSION.order_by(count_sessions.c.id.desc()).limit(limit)
        if status is not None:
            query = query.where(count_sessions.c.status == status.value)
        return [_session(row) for row in self._conn.execute(query)]

    def lines(self, session_id: int) -> list[SessionLine]:
        query = (
            select(count_session_lines.c.item_id, items.c.sku, count_session_lines.c.lot_key, lots.c.code,
                   count_session_lines.c.frozen, count_session_lines.c.counted)
            .join_from(count_session_lines, items, count_session_lines.c.item_id == items.c.id)
            .outerjoin(lots, lots.c.id == count_session_lines.c.lot_key)
            .where(count_session_lines.c.session_id == session_id)
            .order_by(items.c.sku, lots.c.code)
        )
        return [SessionLine(*row) for row in self._conn.execute(query)]

    def set_count(self, session_id: int, item_id: int, lot_key: int, counted: Decimal, at: datetime,
                  *, frozen_if_new: Decimal) -> None:
        where = and_(count_session_lines.c.session_id == session_id, count_session_lines.c.item_id == item_id,
                     count_session_lines.c.lot_key == lot_key)
        done = self._conn.execute(update(count_session_lines).where(where).values(counted=counted, counted_at=at))
        if done.rowcount == 0:
            self._conn.execute(insert(count_session_lines).values(
                session_id=session_id, item_id=item_id, lot_key=lot_key, frozen=frozen_if_new, counted=counted,
                counted_at=at))

    def close(self, session_id: int, status: SessionStatus, at: datetime, posting_id: int | None) -> bool:
        """Open → `status`; False when the session was no longer open."""
        done = self._conn.execute(update(count_sessions).where(
            count_sessions.c.id == session_id, count_sessions.c.status == SessionStatus.OPEN.value,
        ).values(status=status.value, closed_at=at, posting_id=posting_id))
        return done.rowcount == 1
