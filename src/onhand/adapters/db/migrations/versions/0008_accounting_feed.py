"""The accounting feed: item categories, account codes, lock date, posted journal days.

Revision ID: 0008
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0009'  # merged after 0010 and 0009
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite; quantities and money: scaled BIGINT.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('track_locations', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('lock_date', sa.Date(), nullable=True))
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=64), nullable=True))
    # postings is append-only (triggers): a plain CREATE INDEX, no table rebuild.
    op.create_index('ix_postings_effective_at', 'postings', ['effective_at'], unique=False)

    op.create_table('account_codes',
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('category', 'role', name=op.f('pk_account_codes'))
    )
    op.create_table('journal_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('tracking_category', sa.String(length=40), nullable=True),
    sa.Column('narration', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('inventory_exact', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_journal_days'))
    )
    op.create_table('journal_lines',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('effective_day', sa.Date(), nullable=False),
    sa.Column('tracking_option', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['day'], ['journal_days.day'], name=op.f('fk_journal_lines_day_journal_days')),
    sa.PrimaryKeyConstraint('day', 'line_no', name=op.f('pk_journal_lines'))
    )
    op.create_table('journal_basis',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('effective_day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('location_id', ID, nullable=True),
    sa.Column('destination_id', ID, nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('variance', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['day'], ['journal_days.day'], name=op.f('fk_journal_basis_day_journal_days')),
    sa.ForeignKeyConstraint(['destination_id'], ['locations.id'],
                            name=op.f('fk_journal_basis_destination_id_locations')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_journal_basis_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_basis'))
    )
    with op.batch_alter_table('journal_basis', schema=None) as batch_op:
        batch_op.create_index('ix_journal_basis_effective_day', ['effective_day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('journal_basis', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_basis_effective_day')
    op.drop_table('journal_basis')
    op.drop_table('journal_lines')
    op.drop_table('journal_days')
    op.drop_table('account_codes')
    op.drop_index('ix_postings_effective_at', table_name='postings')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('category')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('lock_date')
        batch_op.drop_column('track_locations')
