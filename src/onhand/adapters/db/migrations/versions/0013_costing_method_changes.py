"""Changes of costing method with history: a dated event per change (company-wide or per item).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('costing_method_changes',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('item_id', ID, nullable=True),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('previous', sa.String(length=16), nullable=True),
    sa.Column('effective_at', sa.DateTime(), nullable=False),
    sa.Column('after_move_id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_costing_method_changes_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_costing_method_changes'))
    )
    with op.batch_alter_table('costing_method_changes', schema=None) as batch_op:
        batch_op.create_index('ix_costing_method_changes_item_id', ['item_id', 'effective_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('costing_method_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_costing_method_changes_item_id')
    op.drop_table('costing_method_changes')
