"""Channels, their location and SKU mappings, the inbox of their deliveries, the orders
imported from them and the exceptions a user resolves (tables/channels.py)."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, bindparam, delete, exists, func, insert, select, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.channel_outbox import ChannelOutbox
from onhand.adapters.db.tables import items
from onhand.adapters.db.tables.channels import (
    channel_deliveries,
    channel_exceptions,
    channel_locations,
    channel_order_lines,
    channel_orders,
    channel_skus,
    channels,
)
from onhand.domain.channels.records import (
    ChannelOrderLineRecord,
    ChannelRecord,
    DeliveryRecord,
    ExceptionRecord,
    LocationMappingRecord,
    SkuMappingRecord,
)


def _channel(row: Any) -> ChannelRecord:
    return ChannelRecord(**{name: getattr(row, name) for name in ChannelRecord.__slots__})


def _delivery(row: Any) -> DeliveryRecord:
    return DeliveryRecord(**{name: getattr(row, name) for name in DeliveryRecord.__slots__})


def _exception(row: Any) -> ExceptionRecord:
    return ExceptionRecord(**{name: getattr(row, name) for name in ExceptionRecord.__slots__})


# The advisory lock of a channel order's deliveries: (hash of the schema, this and the
# channel's id; hash of the channel's order id). Advisory locks are the database's, not a
# schema's: the key names the schema too. Two orders sharing a hash only take turns.
_INBOX_LOCK = ":onhand.channel-inbox:"
_INBOX_TURN = Hot(select(func.pg_try_advisory_xact_lock(
    func.hashtext(func.concat(func.current_schema(), _INBOX_LOCK, bindparam("channel", type_=String))),
    func.hashtext(bindparam("order", type_=String))).label("granted")))

# What importing an order runs: built once.
_CHANNEL = Hot(select(channels).where(channels.c.id == bindparam("channel")))
_CHANNEL_BY_NAME = Hot(select(channels).where(channels.c.name == bindparam("name")))  # every webhook
_SKU_HOLDER = {
    column: Hot(select(channel_skus.c.item_id).where(
        channel_skus.c.channel_id == bindparam("channel"), channel_skus.c[column] == bindparam("value")))
    for column in ("external_sku", "external_variant_id", "external_item_id")
}
_ADD_DELIVERY = Hot(insert(channel_deliveries).returning(channel_deliveries.c.id))
_DELIVERY_BY_EVENT = Hot(select(channel_deliveries.c.id).where(
    channel_deliveries.c.channel_id == bindparam("channel"),
    channel_deliveries.c.external_event_id == bindparam("event")))
_DELIVERY = Hot(select(channel_deliveries).where(channel_deliveries.c.id == bindparam("delivery")))
_FINISH_DELIVERY = Hot(update(channel_deliveries).where(channel_deliveries.c.id == bindparam("delivery"))
                       .values(processed_at=bindparam("at"), error=bindparam("failure")))
# Only the first to finish it marks it: a concurrent worker sees 0 rows.
_FINISH_DELIVERY_FIRST = Hot(
    update(channel_deliveries)
    .where(channel_deliveries.c.id == bindparam("delivery"), channel_deliveries.c.processed_at.is_(None))
    .values(processed_at=bindparam("at"), error=bindparam("failure")))
_CLAIM_DELIVERY = Hot(
    update(channel_deliveries)
    .where(channel_deliveries.c.id == bindparam("delivery"), channel_deliveries.c.attempts == bindparam("seen"),
           channel_deliveries.c.processed_at.is_(None))
    .values(attempts=bindparam("seen") + 1))
_UNCLAIMED = Hot(
    select(channel_deliveries.c.id, channel_deliveries.c.attempts)
    .where(channel_deliveries.c.id.in_(bindparam("deliveries", expanding=True)),
           channel_deliveries.c.processed_at.is_(None))
    .with_for_update(skip_locked=True))
# A delivery held since `unclaimed` ends its attempt processed, claim and mark in one.
_FINISH_HELD = Hot(
    update(channel_deliveries)
    .where(channel_deliveries.c.id == bindparam("delivery"), channel_deliveries.c.processed_at.is_(None))
    .values(attempts=channel_deliveries.c.attempts + 1, processed_at=bindparam("at"), error=bindparam("failure")))
_PENDING_WHERE = (channel_deliveries.c.processed_at.is_(None), channel_deliveries.c.attempts < bindparam("attempts"))
_PENDING = Hot(
    select(channel_deliveries.c.id).where(*_PENDING_WHERE).order_by(channel_deliveries.c.id).limit(bindparam("limit")))
_PENDING_DELIVERIES = Hot(
    select(channel_deliveries).where(*_PENDING_WHERE).order_by(channel_deliveries.c.id).limit(bindparam("limit")))
_ORDER_OF = Hot(select(channel_orders.c.id, channel_orders.c.order_id).where(
    channel_orders.c.channel_id == bindparam("channel"), channel_orders.c.external_order_id == bindparam("order")))
_ORDER_STAMP = Hot(select(channel_orders.c.external_updated_at).where(
    channel_orders.c.channel_id == bindparam("channel"), channel_orders.c.external_order_id == bindparam("order")))
_ADD_ORDER = Hot(insert(channel_orders).returning(channel_orders.c.id))
_ADD_ORDER_LINES = Hot(insert(channel_order_lines))


class ChannelRepository(ChannelOutbox):
    """`uow.channels` (the outboxes' queries are in channel_outbox.py)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, values: dict[str, Any]) -> int:
        return int(self._conn.execute(insert(channels).values(**values)).inserted_primary_key[0])

    def by_name(self, name: str) -> ChannelRecord | None:
        row = _CHANNEL_BY_NAME.first(self._conn, {"name": name})
        return _channel(row) if row else None

    def get(self, channel_id: int) -> ChannelRecord | None:
        row = _CHANNEL.first(self._conn, {"channel": channel_id})
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
        found = _SKU_HOLDER[column].first(self._conn, {"channel": channel_id, "value": value})
        return int(found.item_id) if found is not None else None

    def add_delivery(self, values: dict[str, Any]) -> int:
        return int(_ADD_DELIVERY.one(self._conn, values).id)

    def delivery_by_event(self, channel_id: int, external_event_id: str) -> int | None:
        found = _DELIVERY_BY_EVENT.first(self._conn, {"channel": channel_id, "event": external_event_id})
        return int(found.id) if found is not None else None

    def delivery(self, delivery_id: int) -> DeliveryRecord | None:
        row = _DELIVERY.first(self._conn, {"delivery": delivery_id})
        return None if row is None else _delivery(row)

    def finish_delivery(self, delivery_id: int, *, at: datetime | None, error: str | None) -> bool:
        finish = _FINISH_DELIVERY if at is None else _FINISH_DELIVERY_FIRST
        return bool(finish.run(self._conn, {"delivery": delivery_id, "at": at, "failure": error}))

    def claim_delivery(self, delivery_id: int, attempts: int) -> bool:
        """Take the delivery for one attempt: of workers that read it at `attempts`, one wins."""
        return bool(_CLAIM_DELIVERY.run(self._conn, {"delivery": delivery_id, "seen": attempts}))

    def inbox_turn(self, channel_id: int, external_order_id: str) -> bool:
        """Whether this transaction may apply the deliveries of this channel order now: on
        PostgreSQL one transaction at a time per order (a transaction-level advisory lock,
        tried, not waited for), so that workers importing side by side apply one order's
        deliveries one after another, in order. SQLite's writers are serial: always."""
        if self._conn.dialect.name != "postgresql":
            return True
        return bool(_INBOX_TURN.one(self._conn, {"channel": str(channel_id), "order": external_order_id}).granted)

    def unclaimed(self, delivery_ids: builtins.list[int]) -> dict[int, int]:
        """Of these deliveries, those not processed that no other transaction holds, with
        their attempts so far: on PostgreSQL locked here until commit (FOR UPDATE SKIP
        LOCKED), so that a second worker moves on to other deliveries instead of waiting for
        the first's transaction and then finding them done. SQLite's writers are serial:
        every one not processed."""
        if not delivery_ids:
            return {}
        return {int(row.id): int(row.attempts) for row in _UNCLAIMED.rows(self._conn, {"deliveries": delivery_ids})}

    def finish_held(self, finished: builtins.list[tuple[int, datetime, str | None]]) -> int:
        """Mark (delivery, processed at, error) deliveries held since `unclaimed` processed,
        each attempt counted, in one batch; how many were marked."""
        return _FINISH_HELD.many(self._conn, [{"delivery": delivery_id, "at": at, "failure": error}
                                              for delivery_id, at, error in finished])

    def pending_deliveries(self, *, limit: int, max_attempts: int) -> builtins.list[int]:
        return [int(row.id) for row in _PENDING.rows(self._conn, {"attempts": max_attempts, "limit": limit})]

    def waiting_deliveries(self, *, limit: int, max_attempts: int) -> builtins.list[DeliveryRecord]:
        """`pending_deliveries`, each as `delivery` reads it, in one statement."""
        return [_delivery(row) for row in _PENDING_DELIVERIES.rows(self._conn, {"attempts": max_attempts,
                                                                               "limit": limit})]

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
        row = _ORDER_OF.first(self._conn, {"channel": channel_id, "order": external_order_id})
        return (int(row.id), int(row.order_id)) if row else None

    def order_stamp(self, channel_id: int, external_order_id: str) -> str | None:
        row = _ORDER_STAMP.first(self._conn, {"channel": channel_id, "order": external_order_id})
        return None if row is None else row.external_updated_at

    def add_order(self, values: dict[str, Any]) -> int:
        return int(_ADD_ORDER.one(self._conn, values).id)

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
        self.add_order_lines(channel_order_id, lines)

    def add_order_lines(self, channel_order_id: int, lines: builtins.list[dict[str, Any]]) -> None:
        """The lines of a channel order just added."""
        if lines:
            _ADD_ORDER_LINES.many(self._conn, [{"channel_order_id": channel_order_id, **line} for line in lines])

    def channels_mapped(self) -> builtins.list[ChannelRecord]:
        """Channels with at least one location mapped (the ones availability goes to)."""
        mapped = exists().where(channel_locations.c.channel_id == channels.c.id)
        return [_channel(r) for r in self._conn.execute(select(channels).where(mapped).order_by(channels.c.id))]
