"""Sales channels: channels and their location and SKU mappings, the inbox of deliveries
they send (unique per channel and event id), the orders imported from them and their
lines, exceptions to resolve, and the outboxes of quantity pushes and fulfilments.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('channels',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('endpoint', sa.String(length=300), nullable=True),
    sa.Column('api_version', sa.String(length=16), nullable=True),
    sa.Column('credentials', sa.String(length=300), nullable=False),
    sa.Column('availability_version', sa.BigInteger(), nullable=False),
    sa.Column('last_sync_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('last_error_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('name', name=op.f('uq_channels_name'))
    )
    op.create_table('channel_deliveries',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('external_event_id', sa.String(length=100), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_deliveries_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_deliveries')),
    sa.UniqueConstraint('channel_id', 'external_event_id', name='uq_channel_deliveries_channel_event')
    )
    with op.batch_alter_table('channel_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_channel_deliveries_pending', ['processed_at', 'id'], unique=False)

    op.create_table('channel_locations',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('external_location_id', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_locations_channel_id_channels')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_channel_locations_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_locations')),
    sa.UniqueConstraint('channel_id', 'location_id', name='uq_channel_locations_channel_location')
    )
    with op.batch_alter_table('channel_locations', schema=None) as batch_op:
        batch_op.create_index('ix_channel_locations_external', ['channel_id', 'external_location_id'], unique=False)

    op.create_table('channel_exceptions',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('external_order_id', sa.String(length=100), nullable=True),
    sa.Column('external_line_id', sa.String(length=100), nullable=True),
    sa.Column('sku', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('delivery_id', ID, nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_exceptions_channel_id_channels')),
    sa.ForeignKeyConstraint(['delivery_id'], ['channel_deliveries.id'], name=op.f('fk_channel_exceptions_delivery_id_channel_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_exceptions'))
    )
    with op.batch_alter_table('channel_exceptions', schema=None) as batch_op:
        batch_op.create_index('ix_channel_exceptions_open', ['channel_id', 'resolved_at', 'id'], unique=False)

    op.create_table('channel_fulfilments',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('shipment_key', sa.String(length=100), nullable=False),
    sa.Column('external_order_id', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_fulfilments_channel_id_channels')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_channel_fulfilments_order_id_sales_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_fulfilments')),
    sa.UniqueConstraint('channel_id', 'shipment_key', name='uq_channel_fulfilments_shipment')
    )
    with op.batch_alter_table('channel_fulfilments', schema=None) as batch_op:
        batch_op.create_index('ix_channel_fulfilments_due', ['sent_at', 'id'], unique=False)

    op.create_table('channel_orders',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('external_order_id', sa.String(length=100), nullable=False),
    sa.Column('order_id', ID, nullable=False),
    sa.Column('external_updated_at', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_orders_channel_id_channels')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_channel_orders_order_id_sales_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_orders')),
    sa.UniqueConstraint('channel_id', 'external_order_id', name='uq_channel_orders_channel_order')
    )
    with op.batch_alter_table('channel_orders', schema=None) as batch_op:
        batch_op.create_index('ix_channel_orders_order', ['order_id'], unique=False)

    op.create_table('channel_pushes',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('external_location_id', sa.String(length=100), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('sent_quantity', sa.BigInteger(), nullable=True),
    sa.Column('sent_version', sa.BigInteger(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_pushes_channel_id_channels')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_channel_pushes_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_pushes')),
    sa.UniqueConstraint('channel_id', 'item_id', 'external_location_id', name='uq_channel_pushes_target')
    )
    with op.batch_alter_table('channel_pushes', schema=None) as batch_op:
        batch_op.create_index('ix_channel_pushes_due', ['channel_id', 'sent_version', 'version'], unique=False)

    op.create_table('channel_skus',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('external_sku', sa.String(length=100), nullable=True),
    sa.Column('external_variant_id', sa.String(length=100), nullable=True),
    sa.Column('external_item_id', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_skus_channel_id_channels')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_channel_skus_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_skus')),
    sa.UniqueConstraint('channel_id', 'external_sku', name='uq_channel_skus_channel_sku'),
    sa.UniqueConstraint('channel_id', 'external_variant_id', name='uq_channel_skus_channel_variant'),
    sa.UniqueConstraint('channel_id', 'item_id', name='uq_channel_skus_channel_item')
    )
    op.create_table('channel_order_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_order_id', ID, nullable=False),
    sa.Column('external_line_id', sa.String(length=100), nullable=False),
    sa.Column('sku', sa.String(length=100), nullable=True),
    sa.Column('external_variant_id', sa.String(length=100), nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('item_id', ID, nullable=True),
    sa.Column('line_no', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['channel_order_id'], ['channel_orders.id'], name=op.f('fk_channel_order_lines_channel_order_id_channel_orders')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_channel_order_lines_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_order_lines')),
    sa.UniqueConstraint('channel_order_id', 'external_line_id', name='uq_channel_order_lines_order_line')
    )


def downgrade() -> None:
    op.drop_table('channel_order_lines')
    op.drop_table('channel_skus')
    with op.batch_alter_table('channel_pushes', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_pushes_due')

    op.drop_table('channel_pushes')
    with op.batch_alter_table('channel_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_orders_order')

    op.drop_table('channel_orders')
    with op.batch_alter_table('channel_fulfilments', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_fulfilments_due')

    op.drop_table('channel_fulfilments')
    with op.batch_alter_table('channel_exceptions', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_exceptions_open')

    op.drop_table('channel_exceptions')
    with op.batch_alter_table('channel_locations', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_locations_external')

    op.drop_table('channel_locations')
    with op.batch_alter_table('channel_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_deliveries_pending')

    op.drop_table('channel_deliveries')
    op.drop_table('channels')
