"""People (revision 0018): user accounts, web sessions and failed sign-ins."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import UtcDateTime

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    # The email is the actor id (`user:<email>`), so it fits the audit log's 64 characters.
    Column("email", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    # `scrypt$n$r$p$salt$hash` (services/access/passwords.py): never the password.
    Column("password_hash", String(200), nullable=False),
    # Location codes the user is limited to, comma separated; NULL: every location.
    Column("locations", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
)

user_sessions = Table(
    "user_sessions",
    metadata,
    # SHA-256 of the cookie's token: a stolen copy of the table signs nobody in.
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    # Checked against every unsafe request's form field or X-CSRF-Token header.
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    Index("ix_user_sessions_user", "user_id"),
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_sign_in_failures_who", "email", "client", "at"),
    Index("ix_sign_in_failures_at", "at"),
)
