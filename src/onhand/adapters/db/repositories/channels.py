"""Channels, their location and SKU mappings, the inbox of their deliveries, the orders
imported from them and the exceptions a user resolves (tables/channels.py)."""

from __future__ import annotations

import builtins
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, exists, insert, or_, select, update

from onhand.adapters.db.tables import items
from onhand.adapters.db.tables.channels import (
    channel_deliveries,
    channel_exceptions,
    channel_fulfilments,
    channel_locations,
    channel_order_lines,
    channel_orders,
    channel_pushes,
    channel_skus,
    channels,
)
from onhand.domain.channels.records import (
    ChannelOrderLineRecord,
    ChannelRecord,
    DeliveryRecord,
    ExceptionRecord,
    FulfilmentRecord,
    LocationMappingRecord,
    PushRecord,
    SkuMappingRecord,
)


def _channel(row: Any) -> ChannelRecord:
    return ChannelRecord(**{name: getattr(row, name) for name in ChannelRecord.__slots__})


def _exception(row: Any) -> ExceptionRecord:
    return ExceptionRecord(**{name: getattr(row, name) for name in ExceptionRecord.__slots__})


class ChannelRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, values: dict[str, Any]) -> int:
        return int(self._conn.execute(insert(channels).values(**values)).inserted_primary_key[0])

    def by_name(self, name: str) -> ChannelRecord | None:
        row = self._conn.execute(select(channels).where(channels.c.name == name)).first()
        return _channel(row) if row else None

    def get(self, channel_id: int) -> ChannelRecord | None:
        row = self._conn.execute(select(channels).where(channels.c.id == channel_id)).first()
        return _channel(row) if row else None

    def all(self) -> builtins.list[ChannelRecord]:
        return [_channel(r) for r in self._conn.execute(select(channels).order_by(channels.c.name))]

    def update(self, channel_id: int, **values: Any) -> None:
        self._conn.execute(update(channels).where(channels.c.id == channel_id).values(**values))

    def set_location(self, channel_id: int, location_id: int, external_location_id: str) -> None:
        done = self._conn.execute(
            update(channel_locations)
            .where(channel_locations.c.channel_id == channel_id, channel_locations.c.location_id == location_id)
            .values(external_location_id=external_location_id)
        )
        if done.rowcount == 0:
            self._conn.execute(insert(channel_locations).values(
                channel_id=channel_id, location_id=location_id, external_location_id=external_location_id))

    def remove_location(self, channel_id: int, location_id: int) -> bool:
        done = self._conn.execute(delete(channel_locations).where(
            channel_locations.c.channel_id == channel_id, channel_locations.c.location_id == location_id))
        return bool(done.rowcount)

    def locations(self, channel_id: int) -> builtins.list[LocationMappingRecord]:
        rows = self._conn.execute(
            select(channel_locations.c.location_id, channel_locations.c.external_location_id)
            .where(channel_locations.c.channel_id == channel_id).order_by(channel_locations.c.location_id)
        )
        return [LocationMappingRecord(int(r.location_id), r.external_location_id) for r in rows]

    def set_sku(self, channel_id: int, item_id: int, values: dict[str, Any]) -> None:
        done = self._conn.execute(
            update(channel_skus)
            .where(channel_skus.c.channel_id == channel_id, channel_skus.c.item_id == item_id).values(**values)
        )
        if done.rowcount == 0:
            self._conn.execute(insert(channel_skus).values(channel_id=channel_id, item_id=item_id, **values))

    def skus(self, channel_id: int) -> builtins.list[SkuMappingRecord]:
        rows = self._conn.execute(
            select(channel_skus, items.c.sku).join(items, channel_skus.c.item_id == items.c.id)
            .where(channel_skus.c.channel_id == channel_id).order_by(items.c.sku)
        )
        return [SkuMappingRecord(int(r.item_id), r.sku, r.external_sku, r.external_variant_id, r.external_item_id)
                for r in rows]

    def sku_holder(self, channel_id: int, column: str, value: str) -> int | None:
        """The item mapped to `value` in one of the external columns, if any."""
        found = self._conn.execute(
            select(channel_skus.c.item_id)
            .where(channel_skus.c.channel_id == channel_id, channel_skus.c[column] == value)
        ).scalar()
        return int(found) if found is not None else None

    def add_delivery(self, values: dict[str, Any]) -> int:
        return int(self._conn.execute(insert(channel_deliveries).values(**values)).inserted_primary_key[0])

    def delivery_by_event(self, channel_id: int, external_event_id: str) -> int | None:
        found = self._conn.execute(
            select(channel_deliveries.c.id).where(channel_deliveries.c.channel_id == channel_id,
                                                  channel_deliveries.c.external_event_id == external_event_id)
        ).scalar()
        return int(found) if found is not None else None

    def delivery(self, delivery_id: int) -> DeliveryRecord | None:
        row = self._conn.execute(select(channel_deliveries).where(channel_deliveries.c.id == delivery_id)).first()
        if row is None:
            return None
        return DeliveryRecord(**{name: getattr(row, name) for name in DeliveryRecord.__slots__})

    def finish_delivery(self, delivery_id: int, *, at: datetime | None, error: str | None) -> bool:
        query = update(channel_deliveries).where(channel_deliveries.c.id == delivery_id)
        if at is not None:  # only the first to finish it marks it: a concurrent worker sees 0 rows
            query = query.where(channel_deliveries.c.processed_at.is_(None))
        done = self._conn.execute(query.values(processed_at=at, error=error,
                                               attempts=channel_deliveries.c.attempts + 1))
        return bool(done.rowcount)

    def pending_deliveries(self, *, limit: int, max_attempts: int) -> builtins.list[int]:
        return [int(i) for i in self._conn.execute(
            select(channel_deliveries.c.id)
            .where(channel_deliveries.c.processed_at.is_(None), channel_deliveries.c.attempts < max_attempts)
            .order_by(channel_deliveries.c.id).limit(limit)
        ).scalars()]

    def requeue_delivery(self, delivery_id: int) -> None:
        self._conn.execute(update(channel_deliveries).where(channel_deliveries.c.id == delivery_id)
                           .values(processed_at=None, attempts=0, error=None))

    def open_exception(self, channel_id: int, kind: str, external_order_id: str | None,
                       external_line_id: str | None) -> int | None:
        found = self._conn.execute(
            select(channel_exceptions.c.id).where(
                channel_exceptions.c.channel_id == channel_id, channel_exceptions.c.kind == kind,
                channel_exceptions.c.external_order_id == external_order_id,
                channel_exceptions.c.external_line_id == external_line_id,
                channel_exceptions.c.resolved_at.is_(None),
            ).limit(1)
        ).scalar()
        return int(found) if found is not None else None

    def add_exception(self, values: dict[str, Any]) -> int:
        return int(self._conn.execute(insert(channel_exceptions).values(**values)).inserted_primary_key[0])

    def exception(self, exception_id: int) -> ExceptionRecord | None:
        row = self._conn.execute(select(channel_exceptions).where(channel_exceptions.c.id == exception_id)).first()
        return _exception(row) if row else None

    def exceptions(
        self, *, channel_id: int | None, unresolved: bool, limit: int, offset: int
    ) -> builtins.list[ExceptionRecord]:
        query = select(channel_exceptions).order_by(channel_exceptions.c.id.desc()).limit(limit).offset(offset)
        if channel_id is not None:
            query = query.where(channel_exceptions.c.channel_id == channel_id)
        if unresolved:
            query = query.where(channel_exceptions.c.resolved_at.is_(None))
        return [_exception(r) for r in self._conn.execute(query)]

    def resolve_exception(self, exception_id: int, *, at: datetime, by: str) -> None:
        self._conn.execute(update(channel_exceptions).where(channel_exceptions.c.id == exception_id)
                           .values(resolved_at=at, resolved_by=by))

    def order_of(self, channel_id: int, external_order_id: str) -> tuple[int, int] | None:
        """(channel order id, sales order id) of an imported order."""
        row = self._conn.execute(
            select(channel_orders.c.id, channel_orders.c.order_id)
            .where(channel_orders.c.channel_id == channel_id, channel_orders.c.external_order_id == external_order_id)
        ).first()
        return (int(row.id), int(row.order_id)) if row else None

    def order_stamp(self, channel_id: int, external_order_id: str) -> str | None:
        return self._conn.execute(
            select(channel_orders.c.external_updated_at)
            .where(channel_orders.c.channel_id == channel_id, channel_orders.c.external_order_id == external_order_id)
        ).scalar()

    def add_order(self, values: dict[str, Any]) -> int:
        return int(self._conn.execute(insert(channel_orders).values(**values)).inserted_primary_key[0])

    def update_order(self, channel_order_id: int, **values: Any) -> None:
        self._conn.execute(update(channel_orders).where(channel_orders.c.id == channel_order_id).values(**values))

    def order_lines(self, channel_order_id: int) -> builtins.list[ChannelOrderLineRecord]:
        rows = self._conn.execute(
            select(channel_order_lines).where(channel_order_lines.c.channel_order_id == channel_order_id)
            .order_by(channel_order_lines.c.id)
        )
        return [ChannelOrderLineRecord(r.external_line_id, r.sku, r.external_variant_id, r.quantity, r.unit_price,
                                       int(r.item_id) if r.item_id is not None else None, r.line_no)
                for r in rows]

    def replace_order_lines(self, channel_order_id: int, lines: builtins.list[dict[str, Any]]) -> None:
        self._conn.execute(
            delete(channel_order_lines).where(channel_order_lines.c.channel_order_id == channel_order_id))
        if lines:
            self._conn.execute(insert(channel_order_lines),
                               [{"channel_order_id": channel_order_id, **line} for line in lines])

    def channels_mapped(self) -> builtins.list[ChannelRecord]:
        """Channels with at least one location mapped (the ones availability goes to)."""
        mapped = exists().where(channel_locations.c.channel_id == channels.c.id)
        return [_channel(r) for r in self._conn.execute(select(channels).where(mapped).order_by(channels.c.id))]

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
