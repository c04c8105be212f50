"""The company's chart of accounts as the accounting system has it, the system its journals
go to, its region, and the tax rate and date format of its Xero CSV export; opening
values given to opening stock's own moves (booked through those moves, not again).

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accounting_target', sa.String(16), nullable=False, server_default='xero'))
        batch_op.add_column(sa.Column('accounting_region', sa.String(8)))
        batch_op.add_column(sa.Column('export_tax_rate', sa.String(60)))
        batch_op.add_column(sa.Column('export_date_format', sa.String(10)))
    op.create_table(
        'chart_accounts',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('target', sa.String(16), nullable=False),
        sa.Column('code', sa.String(40)),
        sa.Column('name', sa.String(150), nullable=False),
        sa.Column('type', sa.String(60), nullable=False),
        sa.Column('system_account', sa.String(40)),
        sa.Column('account_id', sa.String(60)),
        sa.Column('tax_code', sa.String(100)),
        sa.Column('loaded_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_chart_accounts')),
    )
    # A plain ADD COLUMN (SQLite takes a NOT NULL column with a default): a batch would
    # copy the table and write its constraints in an order that differs between runs.
    op.add_column('opening_values', sa.Column('via_moves', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('opening_values', schema=None) as batch_op:
        batch_op.drop_column('via_moves')
    op.drop_table('chart_accounts')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('export_date_format')
        batch_op.drop_column('export_tax_rate')
        batch_op.drop_column('accounting_region')
        batch_op.drop_column('accounting_target')
