"""Suppliers, supplier prices, purchase orders, receipts and landed costs.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite; quantities and money: scaled BIGINT.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
SCALED = sa.BigInteger()


def upgrade() -> None:
    op.create_table('suppliers',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('over_receipt_tolerance_pct', SCALED, nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('code', name=op.f('uq_suppliers_code'))
    )
    op.create_table('supplier_prices',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('supplier_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('supplier_sku', sa.String(length=64), nullable=True),
    sa.Column('unit_cost', SCALED, nullable=False),
    sa.Column('min_order_quantity', SCALED, nullable=True),
    sa.Column('pack_size', SCALED, nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_supplier_prices_item_id_items')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_prices_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_prices')),
    sa.UniqueConstraint('supplier_id', 'item_id', name='uq_supplier_prices_supplier_id_item_id')
    )
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_prices_item_id', ['item_id'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('supplier_id', ID, nullable=False),
    sa.Column('supplier_reference', sa.String(length=100), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('destination_id', ID, nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('ordered_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['destination_id'], ['locations.id'], name=op.f('fk_purchase_orders_destination_id_locations')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('reference', name=op.f('uq_purchase_orders_reference')),
    sa.UniqueConstraint('supplier_id', 'supplier_reference', name='uq_purchase_orders_supplier_id_supplier_reference')
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_orders_status', ['status', 'id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('quantity', SCALED, nullable=False),
    sa.Column('unit_cost', SCALED, nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchase_order_lines_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_purchase_order_lines_item_id_items')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines')),
    sa.UniqueConstraint('order_id', 'line_no', name='uq_purchase_order_lines_order_id_line_no')
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_order_lines_item_id', ['item_id'], unique=False)

    op.create_table('receipts',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('posting_id', ID, nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('exchange_rate', SCALED, nullable=False),
    sa.Column('delivery_reference', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_receipts_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_receipts_posting_id_postings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts')),
    sa.UniqueConstraint('reference', name=op.f('uq_receipts_reference'))
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index('ix_receipts_order_id', ['order_id'], unique=False)

    op.create_table('receipt_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('receipt_id', ID, nullable=False),
    sa.Column('order_line_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', SCALED, nullable=False),
    sa.Column('unit_cost', SCALED, nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_receipt_lines_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_receipt_lines_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_receipt_lines_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_receipt_lines_lot_id_lots')),
    sa.ForeignKeyConstraint(['order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_receipt_lines_order_line_id_purchase_order_lines')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name=op.f('fk_receipt_lines_receipt_id_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_lines'))
    )
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_lines_order_line_id', ['order_line_id'], unique=False)
        batch_op.create_index('ix_receipt_lines_receipt_id', ['receipt_id'], unique=False)

    op.create_table('landed_costs',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('receipt_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', SCALED, nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('exchange_rate', SCALED, nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name=op.f('fk_landed_costs_receipt_id_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_landed_costs'))
    )
    with op.batch_alter_table('landed_costs', schema=None) as batch_op:
        batch_op.create_index('ix_landed_costs_receipt_id', ['receipt_id'], unique=False)

    op.create_table('landed_cost_allocations',
    sa.Column('landed_cost_id', ID, nullable=False),
    sa.Column('receipt_line_id', ID, nullable=False),
    sa.Column('amount', SCALED, nullable=False),
    sa.ForeignKeyConstraint(['landed_cost_id'], ['landed_costs.id'], name=op.f('fk_landed_cost_allocations_landed_cost_id_landed_costs')),
    sa.ForeignKeyConstraint(['receipt_line_id'], ['receipt_lines.id'], name=op.f('fk_landed_cost_allocations_receipt_line_id_receipt_lines')),
    sa.PrimaryKeyConstraint('landed_cost_id', 'receipt_line_id', name=op.f('pk_landed_cost_allocations'))
    )
    with op.batch_alter_table('landed_cost_allocations', schema=None) as batch_op:
        batch_op.create_index('ix_landed_cost_allocations_receipt_line_id', ['receipt_line_id'], unique=False)

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('over_receipt_tolerance_pct', SCALED, server_default='0', nullable=False))

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight_kg', SCALED, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('weight_kg')

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('over_receipt_tolerance_pct')

    for table, indexes in (
        ('landed_cost_allocations', ['ix_landed_cost_allocations_receipt_line_id']),
        ('landed_costs', ['ix_landed_costs_receipt_id']),
        ('receipt_lines', ['ix_receipt_lines_receipt_id', 'ix_receipt_lines_order_line_id']),
        ('receipts', ['ix_receipts_order_id']),
        ('purchase_order_lines', ['ix_purchase_order_lines_item_id']),
        ('purchase_orders', ['ix_purchase_orders_status']),
        ('supplier_prices', ['ix_supplier_prices_item_id']),
        ('suppliers', []),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
