"""The accounting feed: account codes, and the journals of posted days (revision 0008).

An open day's journal is made from the moves whenever it is asked for; only a posted
day is stored: its lines (what was exported, to regenerate the exports byte-identically)
and its basis (the exact sums per role, item category and location it was made of, so
that a later change to what its moves are worth shows as a correction, not a rewrite).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table

from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.types import ScaledDecimal, UtcDateTime

# The account code of each role; category "" holds the defaults, others override them.
account_codes = Table(
    "account_codes",
    metadata,
    Column("category", String(64), primary_key=True),
    Column("role", String(24), primary_key=True),
    Column("code", String(40), nullable=False),
)

# The chart of accounts loaded from the accounting system (revision 0028): replaced whole
# by each load; `account_id` is QuickBooks' Id, `system_account` Xero's SystemAccount.
chart_accounts = Table(
    "chart_accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("target", String(16), nullable=False),
    Column("code", String(40)),
    Column("name", String(150), nullable=False),
    Column("type", String(60), nullable=False),
    Column("system_account", String(40)),
    Column("account_id", String(60)),
    Column("tax_code", String(100)),
    Column("loaded_at", UtcDateTime, nullable=False),
)

journal_days = Table(
    "journal_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("posted_at", UtcDateTime, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("tracking_category", String(40)),
    Column("narration", String(200), nullable=False),
    Column("reference", String(40), nullable=False),
    # The exact (10^-6) change to the inventory asset the journal booked, before cent rounding.
    Column("inventory_exact", ScaledDecimal, nullable=False),
)

journal_lines = Table(
    "journal_lines",
    metadata,
    Column("day", Date, ForeignKey("journal_days.day"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account", String(40), nullable=False),
    Column("role", String(24), nullable=False),
    Column("amount", ScaledDecimal, nullable=False),
    Column("description", String(200), nullable=False),
    Column("effective_day", Date, nullable=False),
    Column("tracking_option", String(64)),
)

# What a posted journal was made of: exact sums per (effective day, kind, role, category,
# location, destination). kind: "move" (valued moves), "sale" (shipped order lines),
# "refund" (revenue reversed by customer returns) or "opening" (opening valuations).
journal_basis = Table(
    "journal_basis",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("day", Date, ForeignKey("journal_days.day"), nullable=False),
    Column("effective_day", Date, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("role", String(24), nullable=False),
    Column("category", String(64)),
    Column("location_id", Id, ForeignKey("locations.id")),
    Column("destination_id", Id, ForeignKey("locations.id")),
    Column("value", ScaledDecimal, nullable=False),
    Column("variance", ScaledDecimal, nullable=False),
    # The exact value when it has more than 6 decimals (price × quantity × an exchange rate
    # may have 18), as decimal text; `value` then holds it rounded half-even to 10^-6
    # (revision 0011).
    Column("value_exact", String(64)),
    Index("ix_journal_basis_effective_day", "effective_day"),
)
