"""The channels' outboxes: the quantity each channel location should show of each item
(`channel_pushes`, coalesced: one row per target) and the fulfilments to create
(`channel_fulfilments`), with what the channel accepted; part of `ChannelRepository`."""

from __future__ import annotations

import builtins
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from onhand.adapters.db.tables.channels import channel_fulfilments, channel_orders, channel_pushes
from onhand.domain.channels.records import FulfilmentRecord, PushRecord


class ChannelOutbox:
    _conn: Connection

    def push_rows(self, channel_id: int) -> dict[tuple[int, str], PushRecord]:
        rows = self._conn.execute(select(channel_pushes).where(channel_pushes.c.channel_id == channel_id))
        return {(int(r.item_id), r.external_location_id): _push(r) for r in rows}

    def want(self, channel_id: int, item_id: int, external_location_id: str, quantity: Decimal, now: datetime) -> None:
        target = (channel_pushes.c.channel_id == channel_id, channel_pushes.c.item_id == item_id,
                  channel_pushes.c.external_location_id == external_location_id)
        done = self._conn.execute(
            update(channel_pushes).where(*target, channel_pushes.c.quantity != quantity)
            .values(quantity=quantity, version=channel_pushes.c.version + 1, attempts=0, next_attempt_at=None,
                    updated_at=now)
        )
        if done.rowcount == 0 and self._conn.execute(select(channel_pushes.c.id).where(*target)).first() is None:
            self._conn.execute(insert(channel_pushes).values(
                channel_id=channel_id, item_id=item_id, external_location_id=external_location_id, quantity=quantity,
                version=1, sent_version=0, attempts=0, updated_at=now))

    def touch(self, channel_id: int, item_id: int, external_location_id: str, quantity: Decimal, now: datetime) -> None:
        done = self._conn.execute(
            update(channel_pushes).where(
                channel_pushes.c.channel_id == channel_id, channel_pushes.c.item_id == item_id,
                channel_pushes.c.external_location_id == external_location_id,
            ).values(quantity=quantity, version=channel_pushes.c.version + 1, attempts=0, next_attempt_at=None,
                     updated_at=now)
        )
        if done.rowcount == 0:
            self.want(channel_id, item_id, external_location_id, quantity, now)

    def due_pushes(self, channel_id: int, *, now: datetime, limit: int) -> builtins.list[PushRecord]:
        rows = self._conn.execute(
            select(channel_pushes)
            .where(channel_pushes.c.channel_id == channel_id, channel_pushes.c.version > channel_pushes.c.sent_version,
                   or_(channel_pushes.c.next_attempt_at.is_(None), channel_pushes.c.next_attempt_at <= now))
            .order_by(channel_pushes.c.id).limit(limit)
        )
        return [_push(r) for r in rows]

    def push_sent(self, push_id: int, *, version: int, quantity: Decimal, now: datetime) -> None:
        self._conn.execute(
            update(channel_pushes).where(channel_pushes.c.id == push_id, channel_pushes.c.sent_version < version)
            .values(sent_version=version, sent_quantity=quantity, attempts=0, next_attempt_at=None, last_error=None,
                    updated_at=now)
        )

    def push_failed(
        self, push_ids: builtins.list[int], *, retry_at: datetime, error: str | None, now: datetime, count: bool
    ) -> None:
        attempts = channel_pushes.c.attempts + (1 if count else 0)
        self._conn.execute(
            update(channel_pushes).where(channel_pushes.c.id.in_(push_ids))
            .values(attempts=attempts, next_attempt_at=retry_at, last_error=error, updated_at=now)
        )

    def push_again(self, push_id: int, now: datetime) -> None:
        self._conn.execute(update(channel_pushes).where(channel_pushes.c.id == push_id).values(
            version=channel_pushes.c.version + 1, attempts=0, next_attempt_at=None, updated_at=now))

    def believe(self, push_id: int, quantity: Decimal | None) -> None:
        self._conn.execute(update(channel_pushes).where(channel_pushes.c.id == push_id).values(sent_quantity=quantity))

    def order_link(self, order_id: int) -> tuple[int, str, int] | None:
        row = self._conn.execute(
            select(channel_orders.c.channel_id, channel_orders.c.external_order_id, channel_orders.c.id)
            .where(channel_orders.c.order_id == order_id)
        ).first()
        return (int(row.channel_id), row.external_order_id, int(row.id)) if row else None

    def add_fulfilment(self, values: dict[str, Any]) -> None:
        seen = self._conn.execute(select(channel_fulfilments.c.id).where(
            channel_fulfilments.c.channel_id == values["channel_id"],
            channel_fulfilments.c.shipment_key == values["shipment_key"])).first()
        if seen is None:
            self._conn.execute(insert(channel_fulfilments).values(**values))

    def due_fulfilments(self, *, now: datetime, limit: int) -> builtins.list[FulfilmentRecord]:
        rows = self._conn.execute(
            select(channel_fulfilments)
            .where(channel_fulfilments.c.sent_at.is_(None),
                   or_(channel_fulfilments.c.next_attempt_at.is_(None), channel_fulfilments.c.next_attempt_at <= now))
            .order_by(channel_fulfilments.c.id).limit(limit)
        )
        return [FulfilmentRecord(**{name: getattr(r, name) for name in FulfilmentRecord.__slots__}) for r in rows]

    def fulfilment_sent(self, fulfilment_id: int, *, external_id: str | None, now: datetime) -> None:
        self._conn.execute(update(channel_fulfilments).where(channel_fulfilments.c.id == fulfilment_id)
                           .values(sent_at=now, external_id=external_id, last_error=None))

    def fulfilment_failed(self, fulfilment_id: int, *, retry_at: datetime, error: str) -> None:
        self._conn.execute(update(channel_fulfilments).where(channel_fulfilments.c.id == fulfilment_id).values(
            attempts=channel_fulfilments.c.attempts + 1, next_attempt_at=retry_at, last_error=error))


def _push(row: Any) -> PushRecord:
    return PushRecord(**{name: getattr(row, name) for name in PushRecord.__slots__})

