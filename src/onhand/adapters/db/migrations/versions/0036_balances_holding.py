"""An index of the balances that hold something, by item and place: a stock read of a few
items at their places no longer walks the empty balances of every lot that passed through.

Revision ID: 0036
Revises: 0034
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0034'
branch_labels = None
depends_on = None

HOLDING = "on_hand <> 0 OR reserved <> 0"


def upgrade() -> None:
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.create_index('ix_balances_holding', ['item_id', 'location_id'],
                              sqlite_where=sa.text(HOLDING), postgresql_where=sa.text(HOLDING))


def downgrade() -> None:
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.drop_index('ix_balances_holding')
