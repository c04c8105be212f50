"""An index of the balances that hold a reservation: verify and rebuild read them all, and
the holding-stock index (0036) holds most of the table at a million moves (every lot's
balance at the virtual places).

Revision ID: 0038
Revises: 0037
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None

RESERVING = "reserved <> 0"


def upgrade() -> None:
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.create_index('ix_balances_reserving', ['item_id', 'location_id', 'lot_key'],
                              sqlite_where=sa.text(RESERVING), postgresql_where=sa.text(RESERVING))


def downgrade() -> None:
    with op.batch_alter_table('balances', schema=None) as batch_op:
        batch_op.drop_index('ix_balances_reserving')
