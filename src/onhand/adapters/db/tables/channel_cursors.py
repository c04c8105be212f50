"""Where a channel's pulls stand (revision 0024): one text cursor per channel and name,
e.g. Amazon's `orders` (the LastUpdatedAfter of the next getOrders)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

channel_cursors = Table(
    "channel_cursors",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, ForeignKey("channels.id"), nullable=False),
    Column("name", String(32), nullable=False),
    Column("value", String(4000), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel_id", "name", name="uq_channel_cursors_channel_name"),
)
