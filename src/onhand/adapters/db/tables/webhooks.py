"""Outbound webhooks (revision 0020): subscriptions and one delivery per (subscription, event).

A subscription keeps a random `secret_salt`, never its secret: the secret is derived from
the installation's webhook key (configuration) and the salt when a delivery is signed.
A delivery is `pending` until a 2xx answer (`delivered`) or a day of failures (`failed`);
a sender claims it by moving `next_attempt_at` past its lease and setting `claim`, so no
other sender takes it while the request is in flight.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

LIVE = "removed_at IS NULL"

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("event_types", Text, nullable=False),  # JSON list of types, or ["*"]
    Column("secret_salt", String(64), nullable=False),
    Column("active", Boolean, nullable=False),
    # It receives the events after this one (the newest when it was added).
    Column("after_event_id", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime),
    # A name is taken by one subscription that is not removed.
    Index("ix_webhook_subscriptions_name", "name", unique=True,
          sqlite_where=text(LIVE), postgresql_where=text(LIVE)),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("subscription_id", Id, ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event_id", Id, nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("status", String(10), nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),  # None once delivered or failed
    Column("window_start", UtcDateTime, nullable=False),  # retries end a day after this
    Column("claim", String(32)),  # the sender holding it (until next_attempt_at)
    Column("last_status_code", Integer),
    Column("last_error", String(300)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    UniqueConstraint("subscription_id", "event_id"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)
