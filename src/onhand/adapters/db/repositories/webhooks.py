"""Webhook subscriptions and deliveries (tables/webhooks.py).

Claiming due deliveries is safe with several senders: on PostgreSQL the due rows are
locked `FOR UPDATE SKIP LOCKED` (a concurrent sender takes other rows, never waits), on
SQLite writers are serial (BEGIN IMMEDIATE); the claim moves `next_attempt_at` to the end
of a lease, so a claimed row is not due for anyone else, and its outcome is written only
by the holder of the claim (`finish` is guarded by it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from onhand.adapters.db.tables.feed import events
from onhand.adapters.db.tables.webhooks import webhook_deliveries as deliveries
from onhand.adapters.db.tables.webhooks import webhook_subscriptions as subscriptions

PENDING = "pending"


class WebhookRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        make = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        # A (subscription, event) pair is one delivery, however often it is offered.
        self._add_delivery = make(deliveries).on_conflict_do_nothing(
            index_elements=[deliveries.c.subscription_id, deliveries.c.event_id])

    def add_subscription(self, row: Mapping[str, Any]) -> int:
        """A new subscription that receives the events after the newest one recorded now."""
        newest = select(func.coalesce(func.max(events.c.id), 0)).scalar_subquery()
        return int(self._conn.execute(
            insert(subscriptions).values(after_event_id=newest).returning(subscriptions.c.id), dict(row)
        ).scalar_one())

    def subscription(self, subscription_id: int) -> Any | None:
        return self._conn.execute(
            select(subscriptions).where(subscriptions.c.id == subscription_id)).first()

    def subscriptions(self) -> list[Any]:
        """Those not removed, oldest first."""
        return list(self._conn.execute(
            select(subscriptions).where(subscriptions.c.removed_at.is_(None)).order_by(subscriptions.c.id)))

    def remove_subscription(self, subscription_id: int, now: datetime) -> None:
        self._conn.execute(update(subscriptions).where(subscriptions.c.id == subscription_id)
                           .values(removed_at=now, active=False))

    def set_active(self, subscription_id: int, active: bool) -> None:
        self._conn.execute(update(subscriptions).where(subscriptions.c.id == subscription_id).values(active=active))

    def add_deliveries(self, rows: Iterable[Mapping[str, Any]]) -> int:
        rows = [dict(r) for r in rows]
        if not rows:
            return 0
        return int(self._conn.execute(self._add_delivery, rows).rowcount or 0)

    def delivery(self, delivery_id: int) -> Any | None:
        return self._conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()

    def deliveries(self, *, subscription_id: int | None, status: str | None, limit: int) -> list[Any]:
        """The newest first."""
        query = select(deliveries)
        if subscription_id is not None:
            query = query.where(deliveries.c.subscription_id == subscription_id)
        if status is not None:
            query = query.where(deliveries.c.status == status)
        return list(self._conn.execute(query.order_by(deliveries.c.id.desc()).limit(limit)))

    def claim_due(self, now: datetime, lease_until: datetime, claim: str, limit: int) -> list[Any]:
        """Take up to `limit` pending deliveries due at `now` until `lease_until`; each with
        its event and its subscription's url and salt."""
        due = (
            select(deliveries.c.id)
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .where(deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now, subscriptions.c.active)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=deliveries)
        )
        ids = list(self._conn.execute(due).scalars())
        if not ids:
            return []
        # Guarded again: only what is still pending and due changes hands.
        self._conn.execute(
            update(deliveries)
            .where(deliveries.c.id.in_(ids), deliveries.c.status == PENDING, deliveries.c.next_attempt_at <= now)
            .values(claim=claim, next_attempt_at=lease_until)
        )
        query = (
            select(deliveries.c.id, deliveries.c.attempts, deliveries.c.window_start,
                   deliveries.c.subscription_id, subscriptions.c.url, subscriptions.c.secret_salt,
                   events.c.id.label("event_id"), events.c.type.label("event_type"), events.c.at.label("event_at"),
                   events.c.actor, events.c.actor_name, events.c.body)
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .join(events, events.c.id == deliveries.c.event_id)
            .where(deliveries.c.id.in_(ids), deliveries.c.claim == claim)
            .order_by(deliveries.c.id)
        )
        return list(self._conn.execute(query))

    def finish(self, delivery_id: int, claim: str, values: Mapping[str, Any]) -> bool:
        """Record an attempt's outcome, if `claim` still holds the delivery."""
        result = self._conn.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id, deliveries.c.claim == claim, deliveries.c.status == PENDING)
            .values(**values, claim=None)
        )
        return bool(result.rowcount)

    def reset(self, delivery_id: int, values: Mapping[str, Any]) -> None:
        self._conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(**values, claim=None))

    def update_pending(self, subscription_id: int, values: Mapping[str, Any]) -> None:
        self._conn.execute(
            update(deliveries)
            .where(deliveries.c.subscription_id == subscription_id, deliveries.c.status == PENDING)
            .values(**values, claim=None)
        )
