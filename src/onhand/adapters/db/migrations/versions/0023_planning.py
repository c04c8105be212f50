"""Planning: reorder rules per item and site, and the planning alerts now open.

Revision ID: 0023
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0020'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
OPEN = 'cleared_at IS NULL'  # one open alert per key


def upgrade() -> None:
    op.create_table('reorder_rules',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('minimum', sa.BigInteger(), nullable=True),
    sa.Column('maximum', sa.BigInteger(), nullable=True),
    sa.Column('reorder_quantity', sa.BigInteger(), nullable=True),
    sa.Column('safety_stock', sa.BigInteger(), nullable=True),
    sa.Column('service_level', sa.BigInteger(), nullable=True),
    sa.Column('supplier_id', ID, nullable=True),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('min_order_quantity', sa.BigInteger(), nullable=True),
    sa.Column('order_multiple', sa.BigInteger(), nullable=True),
    sa.Column('demand_window_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reorder_rules_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_reorder_rules_location_id_locations')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_reorder_rules_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorder_rules')),
    sa.UniqueConstraint('item_id', 'location_id', name=op.f('uq_reorder_rules_item_id'))
    )
    op.create_table('planning_alerts',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('message', sa.String(length=400), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('cleared_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_planning_alerts_item_id_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_planning_alerts_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_planning_alerts_lot_id_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_alerts'))
    )
    with op.batch_alter_table('planning_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_planning_alerts_open', ['key'], unique=True,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_table('planning_alerts')
    op.drop_table('reorder_rules')
