"""Transfer orders through transit.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TRANSFER_REASONS = (("lost_in_transit", "Lost or damaged in transit"),)


def upgrade() -> None:
    op.create_table('transfers',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('source_id', ID, nullable=False),
    sa.Column('destination_id', ID, nullable=False),
    sa.Column('transit_id', ID, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=True),
    sa.Column('carrier', sa.String(length=64), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['destination_id'], ['locations.id'], name=op.f('fk_transfers_destination_id_locations')),
    sa.ForeignKeyConstraint(['source_id'], ['locations.id'], name=op.f('fk_transfers_source_id_locations')),
    sa.ForeignKeyConstraint(['transit_id'], ['locations.id'], name=op.f('fk_transfers_transit_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers')),
    sa.UniqueConstraint('reference', name=op.f('uq_transfers_reference'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index('ix_transfers_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_transfers_destination_id', ['destination_id', 'status'], unique=False)

    op.create_table('transfer_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('transfer_id', ID, nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_transfer_lines_positive_quantity')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_transfer_lines_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_transfer_lines_lot_id_lots')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_lines_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_lines')),
    sa.UniqueConstraint('transfer_id', 'line_no', name='uq_transfer_lines_transfer_id_line_no')
    )
    op.create_table('transfer_events',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('transfer_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('posting_id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_transfer_events_posting_id_postings')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_events_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_events'))
    )
    with op.batch_alter_table('transfer_events', schema=None) as batch_op:
        batch_op.create_index('ix_transfer_events_transfer_id', ['transfer_id'], unique=False)

    op.create_table('transfer_event_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('event_id', ID, nullable=False),
    sa.Column('transfer_line_id', ID, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('lot_id', ID, nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_transfer_event_lines_positive_quantity')),
    sa.ForeignKeyConstraint(['event_id'], ['transfer_events.id'], name=op.f('fk_transfer_event_lines_event_id_transfer_events')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_transfer_event_lines_location_id_locations')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_transfer_event_lines_lot_id_lots')),
    sa.ForeignKeyConstraint(['transfer_line_id'], ['transfer_lines.id'], name=op.f('fk_transfer_event_lines_transfer_line_id_transfer_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_event_lines'))
    )
    with op.batch_alter_table('transfer_event_lines', schema=None) as batch_op:
        batch_op.create_index('ix_transfer_event_lines_event_id', ['event_id'], unique=False)
        batch_op.create_index('ix_transfer_event_lines_transfer_line_id', ['transfer_line_id'], unique=False)

    op.create_table('transfer_routes',
    sa.Column('source_id', ID, nullable=False),
    sa.Column('destination_id', ID, nullable=False),
    sa.Column('transit_id', ID, nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['destination_id'], ['locations.id'], name=op.f('fk_transfer_routes_destination_id_locations')),
    sa.ForeignKeyConstraint(['source_id'], ['locations.id'], name=op.f('fk_transfer_routes_source_id_locations')),
    sa.ForeignKeyConstraint(['transit_id'], ['locations.id'], name=op.f('fk_transfer_routes_transit_id_locations')),
    sa.PrimaryKeyConstraint('source_id', 'destination_id', name=op.f('pk_transfer_routes'))
    )
    reasons = sa.table("reason_codes", sa.column("code"), sa.column("description"))
    op.bulk_insert(reasons, [{"code": code, "description": text} for code, text in TRANSFER_REASONS])


def downgrade() -> None:
    reasons = sa.table("reason_codes", sa.column("code"))
    op.execute(reasons.delete().where(reasons.c.code.in_([code for code, _ in TRANSFER_REASONS])))
    op.drop_table('transfer_routes')
    with op.batch_alter_table('transfer_event_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_transfer_event_lines_transfer_line_id')
        batch_op.drop_index('ix_transfer_event_lines_event_id')

    op.drop_table('transfer_event_lines')
    with op.batch_alter_table('transfer_events', schema=None) as batch_op:
        batch_op.drop_index('ix_transfer_events_transfer_id')

    op.drop_table('transfer_events')
    op.drop_table('transfer_lines')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_transfers_destination_id')
        batch_op.drop_index('ix_transfers_status')

    op.drop_table('transfers')
