"""Customers as records (sales orders reference them), recalls, the supplier's lot
number, and the indexes that trace a lot both ways.

Existing orders' free-text customers become records: one per distinct name (trimmed),
numbered C-000001… in the order of their first order.

Revision ID: 0017
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('customers',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('code', name=op.f('uq_customers_code'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index('ix_customers_name_key', ['name_key'], unique=False)
        batch_op.create_index('ix_customers_email', ['email'], unique=False)
    op.create_table('customer_addresses',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('customer_id', ID, nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('line1', sa.String(length=200), nullable=True),
    sa.Column('line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postcode', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_addresses_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_addresses')),
    sa.UniqueConstraint('customer_id', 'label', name='uq_customer_addresses_customer_id_label')
    )
    op.create_table('customer_channel_ids',
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=False),
    sa.Column('customer_id', ID, nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_channel_ids_customer_id_customers')),
    sa.PrimaryKeyConstraint('channel', 'external_id', name=op.f('pk_customer_channel_ids'))
    )
    with op.batch_alter_table('customer_channel_ids', schema=None) as batch_op:
        batch_op.create_index('ix_customer_channel_ids_customer_id', ['customer_id'], unique=False)
    op.create_table('recalls',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('quarantine_location_id', ID, nullable=True),
    sa.Column('posting_id', ID, nullable=True),
    sa.Column('release_posting_id', ID, nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['quarantine_location_id'], ['locations.id'],
                            name=op.f('fk_recalls_quarantine_location_id_locations')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_recalls_posting_id_postings')),
    sa.ForeignKeyConstraint(['release_posting_id'], ['postings.id'],
                            name=op.f('fk_recalls_release_posting_id_postings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recalls')),
    sa.UniqueConstraint('reference', name=op.f('uq_recalls_reference'))
    )
    op.create_table('recall_lots',
    sa.Column('recall_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=False),
    sa.Column('previous_status', sa.String(length=16), nullable=False),
    sa.Column('depth', ID, nullable=False),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_recall_lots_lot_id_lots')),
    sa.ForeignKeyConstraint(['recall_id'], ['recalls.id'], name=op.f('fk_recall_lots_recall_id_recalls')),
    sa.PrimaryKeyConstraint('recall_id', 'lot_id', name=op.f('pk_recall_lots'))
    )
    with op.batch_alter_table('recall_lots', schema=None) as batch_op:
        batch_op.create_index('ix_recall_lots_lot_id', ['lot_id'], unique=False)

    # A plain ADD COLUMN … REFERENCES (SQLite takes one): a batch copy of the table would
    # write its constraints in an order of its own.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE sales_orders ADD COLUMN customer_id INTEGER '
            'CONSTRAINT fk_sales_orders_customer_id_customers REFERENCES customers (id)'
        )
    else:
        op.add_column('sales_orders', sa.Column('customer_id', ID, nullable=True))
        op.create_foreign_key(op.f('fk_sales_orders_customer_id_customers'), 'sales_orders', 'customers',
                              ['customer_id'], ['id'])
    op.create_index('ix_sales_orders_customer_id', 'sales_orders', ['customer_id', 'id'], unique=False)
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplier_lot', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_lots_code', ['code'], unique=False)
        batch_op.create_index('ix_lots_supplier_lot', ['supplier_lot'], unique=False)
        batch_op.create_index('ix_lots_expiry_date', ['expiry_date'], unique=False)
    for table, name in (
        ('shipment_lines', 'ix_shipment_lines_lot_id'), ('receipt_lines', 'ix_receipt_lines_lot_id'),
        ('return_lines', 'ix_return_lines_lot_id'), ('supplier_return_lines', 'ix_supplier_return_lines_lot_id'),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, ['lot_id'], unique=False)
    _customers_from_orders()


def _customers_from_orders() -> None:
    """One customer record per distinct free-text customer; each order points at its own."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT TRIM(customer) AS name, MIN(id) AS first, MIN(created_at) AS at FROM sales_orders "
        "WHERE customer IS NOT NULL AND TRIM(customer) <> '' GROUP BY TRIM(customer) ORDER BY MIN(id)"
    )).all()
    for number, row in enumerate(rows, start=1):
        conn.execute(sa.text(
            "INSERT INTO customers (code, name, name_key, created_at, updated_at) "
            "VALUES (:code, :name, :key, :at, :at)"
        ), {"code": f"C-{number:06d}", "name": row.name, "key": row.name.lower(), "at": row.at})
    conn.execute(sa.text(
        "UPDATE sales_orders SET customer_id = (SELECT c.id FROM customers c WHERE c.name = TRIM(sales_orders.customer)) "
        "WHERE customer IS NOT NULL AND TRIM(customer) <> ''"
    ))


def downgrade() -> None:
    for table, name in (
        ('shipment_lines', 'ix_shipment_lines_lot_id'), ('receipt_lines', 'ix_receipt_lines_lot_id'),
        ('return_lines', 'ix_return_lines_lot_id'), ('supplier_return_lines', 'ix_supplier_return_lines_lot_id'),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index('ix_lots_expiry_date')
        batch_op.drop_index('ix_lots_supplier_lot')
        batch_op.drop_index('ix_lots_code')
        batch_op.drop_column('supplier_lot')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_orders_customer_id')
        batch_op.drop_constraint(op.f('fk_sales_orders_customer_id_customers'), type_='foreignkey')
        batch_op.drop_column('customer_id')
    op.drop_table('recall_lots')
    op.drop_table('recalls')
    op.drop_table('customer_channel_ids')
    op.drop_table('customer_addresses')
    op.drop_table('customers')
