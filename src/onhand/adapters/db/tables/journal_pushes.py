"""What was pushed to the accounting systems: one row per push of a posted day (revision 0014).

A push is recorded `pending` (in its own transaction) before anything is sent, and
`sent` or `failed` after; a row still `pending` means the outcome is unknown (the
process stopped, or the answer never came) and the next push of that day finds out
from the accounting system. No token or secret is ever stored here.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

PENDING = "status = 'pending'"

journal_pushes = Table(
    "journal_pushes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("day", Date, ForeignKey("journal_days.day"), nullable=False),
    Column("target", String(16), nullable=False),  # xero, quickbooks
    Column("status", String(8), nullable=False),  # pending, sent, failed
    # What the accounting system sees: Xero's Idempotency-Key and narration, QBO's requestid and DocNumber.
    Column("reference", String(40), nullable=False),
    Column("content_hash", String(64), nullable=False),  # sha256 of the posted journal that was sent
    Column("remote_id", String(64)),  # Xero's ManualJournalID, QBO's JournalEntry Id
    Column("error", String(300)),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Index("ix_journal_pushes_day", "day", "target"),
    # At most one push of a day to a target in flight: a second claim loses on this index.
    Index("ix_journal_pushes_pending", "day", "target", unique=True,
          sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
)
