"""Supplier shipments (advance shipping notices) into transit, their lines, events and
where each event put its parts.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'))


def upgrade() -> None:
    op.create_table('supplier_shipments',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('receipt_id', ID, nullable=False),
    sa.Column('transit_id', ID, nullable=False),
    sa.Column('container', sa.String(length=100), nullable=True),
    sa.Column('vessel', sa.String(length=100), nullable=True),
    sa.Column('carrier', sa.String(length=100), nullable=True),
    sa.Column('tracking', sa.String(length=100), nullable=True),
    sa.Column('eta', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    _fk('supplier_shipments', 'order_id', 'purchase_orders'),
    _fk('supplier_shipments', 'receipt_id', 'receipts'),
    _fk('supplier_shipments', 'transit_id', 'locations'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_shipments')),
    sa.UniqueConstraint('reference', name=op.f('uq_supplier_shipments_reference'))
    )
    with op.batch_alter_table('supplier_shipments', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_shipments_order_id', ['order_id'], unique=False)
        batch_op.create_index('ix_supplier_shipments_status', ['status'], unique=False)

    op.create_table('supplier_shipment_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('shipment_id', ID, nullable=False),
    sa.Column('order_line_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('written_off', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_supplier_shipment_lines_positive_quantity')),
    sa.CheckConstraint('received >= 0 AND written_off >= 0 AND received + written_off <= quantity',
                       name=op.f('ck_supplier_shipment_lines_within_shipped')),
    _fk('supplier_shipment_lines', 'shipment_id', 'supplier_shipments'),
    _fk('supplier_shipment_lines', 'order_line_id', 'purchase_order_lines'),
    _fk('supplier_shipment_lines', 'item_id', 'items'),
    _fk('supplier_shipment_lines', 'lot_id', 'lots'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_shipment_lines'))
    )
    with op.batch_alter_table('supplier_shipment_lines', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_shipment_lines_shipment_id', ['shipment_id'], unique=False)
        batch_op.create_index('ix_supplier_shipment_lines_order_line_id', ['order_line_id'], unique=False)

    op.create_table('supplier_shipment_events',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('shipment_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('posting_id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    _fk('supplier_shipment_events', 'shipment_id', 'supplier_shipments'),
    _fk('supplier_shipment_events', 'posting_id', 'postings'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_shipment_events'))
    )
    with op.batch_alter_table('supplier_shipment_events', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_shipment_events_shipment_id', ['shipment_id'], unique=False)

    op.create_table('supplier_shipment_event_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('event_id', ID, nullable=False),
    sa.Column('shipment_line_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_supplier_shipment_event_lines_positive_quantity')),
    _fk('supplier_shipment_event_lines', 'event_id', 'supplier_shipment_events'),
    _fk('supplier_shipment_event_lines', 'shipment_line_id', 'supplier_shipment_lines'),
    _fk('supplier_shipment_event_lines', 'location_id', 'locations'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_shipment_event_lines'))
    )
    with op.batch_alter_table('supplier_shipment_event_lines', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_shipment_event_lines_event_id', ['event_id'], unique=False)
        batch_op.create_index('ix_supplier_shipment_event_lines_shipment_line_id', ['shipment_line_id'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('supplier_shipment_event_lines')
    op.drop_table('supplier_shipment_events')
    op.drop_table('supplier_shipment_lines')
    op.drop_table('supplier_shipments')
