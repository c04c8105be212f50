"""The record of journals pushed to Xero and QuickBooks Online.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table('journal_pushes',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('remote_id', sa.String(length=64), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['day'], ['journal_days.day'], name=op.f('fk_journal_pushes_day_journal_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_pushes'))
    )
    with op.batch_alter_table('journal_pushes', schema=None) as batch_op:
        batch_op.create_index('ix_journal_pushes_day', ['day', 'target'], unique=False)
        batch_op.create_index('ix_journal_pushes_pending', ['day', 'target'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade() -> None:
    with op.batch_alter_table('journal_pushes', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_pushes_pending')
        batch_op.drop_index('ix_journal_pushes_day')
    op.drop_table('journal_pushes')
