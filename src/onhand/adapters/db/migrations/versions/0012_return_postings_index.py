"""An index on `returns.posting_id`: a re-valuation finds the shipments a customer return
reverses from the return's moves (move → its posting → the return → its order's
shipments), so each return must be found by its posting without a scan.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_returns_posting_id", "returns", ["posting_id"])


def downgrade() -> None:
    op.drop_index("ix_returns_posting_id", table_name="returns")
