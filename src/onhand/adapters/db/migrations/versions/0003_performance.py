"""Reservation keys for one-statement writes; a settings version for cached locations;
bundle components on sales order lines.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Shipments and returns are read by order: their lines by their header.
    op.create_index('ix_shipment_lines_shipment_id', 'shipment_lines', ['shipment_id'])
    op.create_index('ix_return_lines_return_id', 'return_lines', ['return_id'])
    op.create_index('ix_returns_order_id', 'returns', ['order_id'])
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kit_line_no', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('per_kit', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_index('ix_reservations_order_line_id')
        batch_op.create_index(
            'uq_reservations_line_balance', ['order_line_id', 'item_id', 'location_id', 'lot_key'], unique=True
        )


def downgrade() -> None:
    op.drop_index('ix_returns_order_id', 'returns')
    op.drop_index('ix_return_lines_return_id', 'return_lines')
    op.drop_index('ix_shipment_lines_shipment_id', 'shipment_lines')
    with op.batch_alter_table('reservations', schema=None) as batch_op:
        batch_op.drop_index('uq_reservations_line_balance')
        batch_op.create_index('ix_reservations_order_line_id', ['order_line_id'], unique=False)
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.drop_column('per_kit')
        batch_op.drop_column('kit_line_no')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('settings_version')
