"""Bundles, bills of materials, build orders and lot genealogy.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite; quantities and money: scaled BIGINT.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('bills_of_materials',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('labour_cost', sa.BigInteger(), nullable=False),
    sa.Column('overhead_cost', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_bills_of_materials_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bills_of_materials')),
    sa.UniqueConstraint('item_id', name=op.f('uq_bills_of_materials_item_id'))
    )
    op.create_table('build_orders',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('built', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_build_orders_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_build_orders_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_build_orders_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_build_orders')),
    sa.UniqueConstraint('reference', name=op.f('uq_build_orders_reference'))
    )
    with op.batch_alter_table('build_orders', schema=None) as batch_op:
        batch_op.create_index('ix_build_orders_status', ['status', 'id'], unique=False)

    op.create_table('bom_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('bom_id', ID, nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('component_item_id', ID, nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('scrap_percent', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_bom_lines_positive_quantity')),
    sa.ForeignKeyConstraint(['bom_id'], ['bills_of_materials.id'], name=op.f('fk_bom_lines_bom_id_bills_of_materials')),
    sa.ForeignKeyConstraint(['component_item_id'], ['items.id'], name=op.f('fk_bom_lines_component_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bom_lines')),
    sa.UniqueConstraint('bom_id', 'component_item_id', name='uq_bom_lines_bom_id_component_item_id')
    )
    with op.batch_alter_table('bom_lines', schema=None) as batch_op:
        batch_op.create_index('ix_bom_lines_component_item_id', ['component_item_id'], unique=False)

    op.create_table('build_runs',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('build_order_id', ID, nullable=True),
    sa.Column('posting_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['build_order_id'], ['build_orders.id'], name=op.f('fk_build_runs_build_order_id_build_orders')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_build_runs_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_build_runs_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_build_runs_lot_id_lots')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_build_runs_posting_id_postings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_build_runs')),
    sa.UniqueConstraint('posting_id', name=op.f('uq_build_runs_posting_id'))
    )
    with op.batch_alter_table('build_runs', schema=None) as batch_op:
        batch_op.create_index('ix_build_runs_build_order_id', ['build_order_id'], unique=False)

    op.create_table('lot_genealogy',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('run_id', ID, nullable=False),
    sa.Column('parent_item_id', ID, nullable=False),
    sa.Column('parent_lot_id', ID, nullable=True),
    sa.Column('child_item_id', ID, nullable=False),
    sa.Column('child_lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['child_item_id'], ['items.id'], name=op.f('fk_lot_genealogy_child_item_id_items')),
    sa.ForeignKeyConstraint(['child_lot_id'], ['lots.id'], name=op.f('fk_lot_genealogy_child_lot_id_lots')),
    sa.ForeignKeyConstraint(['parent_item_id'], ['items.id'], name=op.f('fk_lot_genealogy_parent_item_id_items')),
    sa.ForeignKeyConstraint(['parent_lot_id'], ['lots.id'], name=op.f('fk_lot_genealogy_parent_lot_id_lots')),
    sa.ForeignKeyConstraint(['run_id'], ['build_runs.id'], name=op.f('fk_lot_genealogy_run_id_build_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_genealogy'))
    )
    with op.batch_alter_table('lot_genealogy', schema=None) as batch_op:
        batch_op.create_index('ix_lot_genealogy_child_lot_id', ['child_lot_id'], unique=False)
        batch_op.create_index('ix_lot_genealogy_parent_lot_id', ['parent_lot_id'], unique=False)
        batch_op.create_index('ix_lot_genealogy_run_id', ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lot_genealogy', schema=None) as batch_op:
        batch_op.drop_index('ix_lot_genealogy_run_id')
        batch_op.drop_index('ix_lot_genealogy_parent_lot_id')
        batch_op.drop_index('ix_lot_genealogy_child_lot_id')

    op.drop_table('lot_genealogy')
    with op.batch_alter_table('build_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_build_runs_build_order_id')

    op.drop_table('build_runs')
    with op.batch_alter_table('bom_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_bom_lines_component_item_id')

    op.drop_table('bom_lines')
    with op.batch_alter_table('build_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_build_orders_status')

    op.drop_table('build_orders')
    op.drop_table('bills_of_materials')
