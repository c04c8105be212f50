"""Cycle counts: count sessions per place, their lines frozen at opening and counted blind.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('count_sessions',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('location_id', ID, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('opened_by', sa.String(length=100), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('posting_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_count_sessions_location_id_locations')),
    sa.ForeignKeyConstraint(['posting_id'], ['postings.id'], name=op.f('fk_count_sessions_posting_id_postings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_count_sessions'))
    )
    op.create_index('ix_count_sessions_location_id', 'count_sessions', ['location_id', 'status'])
    op.create_table('count_session_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('session_id', ID, nullable=False),
    sa.Column('item_id', ID, nullable=False),
    sa.Column('lot_key', ID, nullable=False),
    sa.Column('frozen', sa.BigInteger(), nullable=False),
    sa.Column('counted', sa.BigInteger(), nullable=True),
    sa.Column('counted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_count_session_lines_item_id_items')),
    sa.ForeignKeyConstraint(['session_id'], ['count_sessions.id'],
                            name=op.f('fk_count_session_lines_session_id_count_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_count_session_lines')),
    sa.UniqueConstraint('session_id', 'item_id', 'lot_key', name='uq_count_session_lines_key')
    )
    op.create_index('ix_count_session_lines_item_id', 'count_session_lines', ['item_id'])


def downgrade() -> None:
    op.drop_table('count_session_lines')
    op.drop_table('count_sessions')
