"""Opening valuation of stock that predates valuation; returns to supplier.

Revision ID: 0010
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0007'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite; quantities and money: scaled BIGINT.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('opening_valuations',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('valued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_valuations'))
    )
    op.create_table('opening_values',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('valuation_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_key', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('variance', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_opening_values_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_opening_values_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_opening_values_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_opening_values_lot_id_lots')),
    sa.ForeignKeyConstraint(['valuation_id'], ['opening_valuations.id'], name=op.f('fk_opening_values_valuation_id_opening_valuations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_values'))
    )
    with op.batch_alter_table('opening_values', schema=None) as batch_op:
        batch_op.create_index('ix_opening_values_pool', ['item_id', 'location_id', 'lot_key'], unique=False)
        batch_op.create_index('ix_opening_values_valuation_id', ['valuation_id'], unique=False)

    op.create_table('supplier_returns',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('posting_id', ID, nullable=False),
    sa.Column('authorisation', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_supplier_returns_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_supplier_returns_posting_id_postings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_returns')),
    sa.UniqueConstraint('reference', name=op.f('uq_supplier_returns_reference'))
    )
    with op.batch_alter_table('supplier_returns', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_returns_order_id', ['order_id'], unique=False)

    op.create_table('supplier_return_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('return_id', ID, nullable=False),
    sa.Column('order_line_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_supplier_return_lines_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_supplier_return_lines_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_supplier_return_lines_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_supplier_return_lines_lot_id_lots')),
    sa.ForeignKeyConstraint(['order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_supplier_return_lines_order_line_id_purchase_order_lines')),
    sa.ForeignKeyConstraint(['return_id'], ['supplier_returns.id'], name=op.f('fk_supplier_return_lines_return_id_supplier_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_return_lines'))
    )
    with op.batch_alter_table('supplier_return_lines', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_return_lines_order_line_id', ['order_line_id'], unique=False)
        batch_op.create_index('ix_supplier_return_lines_return_id', ['return_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('supplier_return_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_return_lines_return_id')
        batch_op.drop_index('ix_supplier_return_lines_order_line_id')

    op.drop_table('supplier_return_lines')
    with op.batch_alter_table('supplier_returns', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_returns_order_id')

    op.drop_table('supplier_returns')
    with op.batch_alter_table('opening_values', schema=None) as batch_op:
        batch_op.drop_index('ix_opening_values_valuation_id')
        batch_op.drop_index('ix_opening_values_pool')

    op.drop_table('opening_values')
    op.drop_table('opening_valuations')
