"""Each cost pool keeps its layers' count and totals, so that a posting reads and writes
only the layers it touches, not every open layer of the pool.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

_OF_POOL = ("FROM cost_layers l WHERE l.item_id = cost_pools.item_id AND l.location_id = cost_pools.location_id "
            "AND l.lot_key = cost_pools.lot_key")


def upgrade() -> None:
    with op.batch_alter_table('cost_pools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('layer_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('layers_quantity', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('layers_value', sa.BigInteger(), nullable=False, server_default='0'))
    # Scaled integers add up exactly in SQL.
    op.execute(f"UPDATE cost_pools SET layer_count = (SELECT count(*) {_OF_POOL}), "
               f"layers_quantity = COALESCE((SELECT sum(l.quantity) {_OF_POOL}), 0), "
               f"layers_value = COALESCE((SELECT sum(l.value) {_OF_POOL}), 0)")


def downgrade() -> None:
    with op.batch_alter_table('cost_pools', schema=None) as batch_op:
        batch_op.drop_column('layers_value')
        batch_op.drop_column('layers_quantity')
        batch_op.drop_column('layer_count')
