"""Items and locations can be archived: hidden from lists and refused for new documents,
their history kept.

Revision ID: 0033
Revises: 0032
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('items', 'locations'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in ('locations', 'items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('archived_at')
