"""Receipts at the invoiced unit cost: the company's choice of where a difference from the
order's price goes (`to_stock` or `variance`), and the invoiced cost a receipt line kept
apart from its layers' cost when it goes to the purchase price variance account.

Revision ID: 0032
Revises: 0028
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purchase_price_differences', sa.String(16), nullable=False,
                                      server_default='to_stock'))
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoiced_unit_cost', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.drop_column('invoiced_unit_cost')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_column('purchase_price_differences')
