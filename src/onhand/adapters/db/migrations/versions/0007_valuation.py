"""Valuation: costing methods, move values and the current cost layers.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite; quantities and money: scaled BIGINT.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('costing_method', sa.String(length=16), server_default='fifo', nullable=False))

    op.create_table('item_costing',
    sa.Column('item_id', ID, nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_costing_item_id_items')),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_item_costing'))
    )
    op.create_table('move_values',
    sa.Column('move_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('variance', sa.BigInteger(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_move_values_item_id_items')),
    sa.ForeignKeyConstraint(['move_id'], ['moves.id'], name=op.f('fk_move_values_move_id_moves')),
    sa.PrimaryKeyConstraint('move_id', name=op.f('pk_move_values'))
    )
    with op.batch_alter_table('move_values', schema=None) as batch_op:
        batch_op.create_index('ix_move_values_item_id', ['item_id', 'move_id'], unique=False)

    op.create_table('cost_pools',
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_key', ID, nullable=False),
    sa.Column('deficit_quantity', sa.BigInteger(), nullable=False),
    sa.Column('deficit_value', sa.BigInteger(), nullable=False),
    sa.Column('last_unit_cost', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_cost_pools_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_cost_pools_location_id_locations')),
    sa.PrimaryKeyConstraint('item_id', 'location_id', 'lot_key', name=op.f('pk_cost_pools'))
    )
    op.create_table('cost_layers',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_key', ID, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('origin_move_id', ID, nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_cost_layers_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_cost_layers_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_cost_layers_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_layers'))
    )
    with op.batch_alter_table('cost_layers', schema=None) as batch_op:
        batch_op.create_index('ix_cost_layers_pool', ['item_id', 'location_id', 'lot_key', 'position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cost_layers', schema=None) as batch_op:
        batch_op.drop_index('ix_cost_layers_pool')

    op.drop_table('cost_layers')
    op.drop_table('cost_pools')
    with op.batch_alter_table('move_values', schema=None) as batch_op:
        batch_op.drop_index('ix_move_values_item_id')

    op.drop_table('move_values')
    op.drop_table('item_costing')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('costing_method')
