"""What a channel's pulls and pushes keep between runs: its cursors (channel_cursors) and
its quantity outbox (channel_pushes: one row per channel, item and channel location)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.tables.channel_cursors import channel_cursors
from onhand.adapters.db.tables.channels import channel_pushes


class ChannelSyncRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def cursor(self, channel_id: int, name: str) -> str | None:
        return self._conn.execute(select(channel_cursors.c.value).where(
            channel_cursors.c.channel_id == channel_id, channel_cursors.c.name == name)).scalar()

    def set_cursor(self, channel_id: int, name: str, value: str, now: datetime) -> None:
        changed = self._conn.execute(update(channel_cursors).where(
            channel_cursors.c.channel_id == channel_id, channel_cursors.c.name == name,
        ).values(value=value, updated_at=now)).rowcount
        if not changed:
            self._conn.execute(insert(channel_cursors).values(
                channel_id=channel_id, name=name, value=value, updated_at=now))

    def want(self, channel_id: int, item_id: int, external_location_id: str, quantity: Decimal, now: datetime) -> None:
        """The quantity to be there: a new version only when it differs from the one wanted.
        Two workers queuing the same row at once both succeed (the insert yields to the other's)."""
        make = postgresql.insert if self._conn.dialect.name == "postgresql" else sqlite.insert
        inserted = self._conn.execute(make(channel_pushes).values(
            channel_id=channel_id, item_id=item_id, external_location_id=external_location_id,
            quantity=quantity, version=1, sent_quantity=None, sent_version=0, attempts=0,
            next_attempt_at=None, last_error=None, updated_at=now,
        ).on_conflict_do_nothing(index_elements=["channel_id", "item_id", "external_location_id"])
            .returning(channel_pushes.c.id)).first()
        if inserted is None:
            self._conn.execute(update(channel_pushes).where(
                channel_pushes.c.channel_id == channel_id, channel_pushes.c.item_id == item_id,
                channel_pushes.c.external_location_id == external_location_id,
                channel_pushes.c.quantity != quantity,
            ).values(quantity=quantity, version=channel_pushes.c.version + 1, attempts=0, next_attempt_at=None,
                     updated_at=now))

    def due(self, channel_id: int, now: datetime, limit: int) -> list[Any]:
        """Rows whose wanted version was not accepted yet and whose next attempt is due."""
        return list(self._conn.execute(
            select(channel_pushes).where(
                channel_pushes.c.channel_id == channel_id,
                channel_pushes.c.sent_version < channel_pushes.c.version,
                or_(channel_pushes.c.next_attempt_at.is_(None), channel_pushes.c.next_attempt_at <= now),
            ).order_by(channel_pushes.c.id).limit(limit)))

    def pushes(self, channel_id: int) -> list[Any]:
        return list(self._conn.execute(
            select(channel_pushes).where(channel_pushes.c.channel_id == channel_id).order_by(channel_pushes.c.id)))

    def sent(self, push_id: int, version: int, quantity: Decimal, now: datetime) -> None:
        """Accepted at `version`; a newer wanted version (written meanwhile) stays due."""
        self._conn.execute(update(channel_pushes).where(
            channel_pushes.c.id == push_id, channel_pushes.c.sent_version < version,
        ).values(sent_version=version, sent_quantity=quantity, attempts=0, next_attempt_at=None, last_error=None,
                 updated_at=now))

    def failed(self, push_id: int, *, attempts: int, next_attempt_at: datetime, error: str, now: datetime) -> None:
        self._conn.execute(update(channel_pushes).where(channel_pushes.c.id == push_id).values(
            attempts=attempts, next_attempt_at=next_attempt_at, last_error=error[:500], updated_at=now))
