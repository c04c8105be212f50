"""Sales in a foreign currency and refunds of customer returns.

`sales_orders.exchange_rate`: company currency per unit of the order's currency (scaled
BIGINT, like a receipt's). Orders in the company's currency get 1; an order already in
another currency keeps NULL (its rate was never known): the journal leaves it out, as
before, until a rate is given (while nothing has shipped).

`return_lines.refund_unit_price`: what was refunded per returned unit, in the order's
currency; NULL = the default (the line's price; for a bundle's component, the kits the
return broke × the bundle's price).

`journal_basis.value_exact`: a posted day's exact sum when it has more than 6 decimals
(revenue × a rate), as text; `value` keeps it rounded to 10^-6.

Revision ID: 0011
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exchange_rate', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_unit_price', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('journal_basis', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_exact', sa.String(length=64), nullable=True))
    # 1.000000 as a scaled integer, for the orders in the company's currency.
    op.execute(
        "UPDATE sales_orders SET exchange_rate = 1000000 "
        "WHERE currency = (SELECT currency FROM company WHERE id = 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table('journal_basis', schema=None) as batch_op:
        batch_op.drop_column('value_exact')
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.drop_column('refund_unit_price')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_column('exchange_rate')
