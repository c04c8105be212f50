"""Cycle count sessions (revision 0025): one place counted, its book frozen per item and lot
when the session opened, the counted quantities, and the posting that closed it.

A posted session is the record of "last counted": a count that agrees with the books
posts no moves, so the ledger alone cannot say when an item was last counted.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

count_sessions = Table(
    "count_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    Column("status", String(16), nullable=False),  # open, posted, cancelled
    Column("opened_at", UtcDateTime, nullable=False),
    Column("opened_by", String(100), nullable=False),
    Column("closed_at", UtcDateTime),
    Column("posting_id", Id, ForeignKey("postings.id")),
    Index("ix_count_sessions_location_id", "location_id", "status"),
)

count_session_lines = Table(
    "count_session_lines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("session_id", Id, ForeignKey("count_sessions.id"), nullable=False),
    Column("item_id", Id, ForeignKey("items.id"), nullable=False),
    Column("lot_key", Id, nullable=False),  # 0: no lot (as in balances)
    Column("frozen", ScaledDecimal, nullable=False),  # the book when the session opened
    Column("counted", ScaledDecimal),  # null: not counted yet
    Column("counted_at", UtcDateTime),
    UniqueConstraint("session_id", "item_id", "lot_key", name="uq_count_session_lines_key"),
    Index("ix_count_session_lines_item_id", "item_id"),
)
