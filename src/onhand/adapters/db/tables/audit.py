"""The audit log (revision 0015): who did what to which object, append-only.

The migration adds triggers that refuse UPDATE and DELETE, as on the ledger.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table, Text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_key", String(200), nullable=False),
    # Compact JSON: the fields an update changed (before and after), a command's fields.
    Column("before", Text),
    Column("after", Text),
    # Newest first by id, within each filter.
    Index("ix_audit_log_actor", "actor_kind", "actor_id", "id"),
    Index("ix_audit_log_object", "object_type", "object_key", "id"),
    Index("ix_audit_log_action", "action", "id"),
    Index("ix_audit_log_at", "at"),
)
