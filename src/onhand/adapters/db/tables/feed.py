"""The change feed (revision 0016): events, followers' positions, and the availability
the `availability` follower keeps.

`events` is append-only (triggers refuse UPDATE and DELETE). `tx` is the writing
transaction's id on PostgreSQL (`pg_current_xact_id()`) and 0 on SQLite: readers see an
event only once every transaction that might still write below it has ended (see
docs/events.md, "Commit order").
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, PrimaryKeyConstraint, String, Table, Text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("tx", BigInteger, nullable=False),
    Column("type", String(40), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(100), nullable=False),  # the actor's reference: api_key:3, cli:alice, system
    Column("actor_name", String(200), nullable=False),
    Column("body", Text, nullable=False),  # compact JSON, documented per type in docs/events.md
    Index("ix_events_tx_id", "tx", "id"),
    Index("ix_events_at", "at"),  # revision 0020: `updated_since` listings
)

followers = Table(
    "followers",
    metadata,
    Column("name", String(64), primary_key=True),
    # The last event handled, as (tx, id): the feed's order (events.tx, events.id).
    Column("position_tx", BigInteger, nullable=False),
    Column("position_id", BigInteger, nullable=False),
    Column("handled", BigInteger, nullable=False),  # events read so far, all types
    Column("updated_at", UtcDateTime, nullable=False),
)

availability = Table(
    "availability",
    metadata,
    Column("item_id", Id, nullable=False),
    Column("location_id", Id, nullable=False),
    Column("available", ScaledDecimal, nullable=False),
    Column("event_id", BigInteger, nullable=False),  # the last event that changed it
    # The follower's count of events read when it changed: grows in commit order (one
    # follower's batches are serial), so "changed since my mark" never misses a row.
    Column("version", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("item_id", "location_id"),
    Index("ix_availability_version", "version"),
)
