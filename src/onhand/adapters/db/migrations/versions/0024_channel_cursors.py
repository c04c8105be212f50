"""Channel cursors (where a channel's pulls stand, e.g. Amazon's LastUpdatedAfter) and the
reason code `channel_sync` of postings that bring a channel's stock to its own figures.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('channel_cursors',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('channel_id', ID, nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=4000), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_cursors_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_cursors')),
    sa.UniqueConstraint('channel_id', 'name', name='uq_channel_cursors_channel_name')
    )
    # A user may have made the code already: keep theirs.
    op.execute(sa.text(
        "INSERT INTO reason_codes (code, description) SELECT 'channel_sync', 'Brought to a channel''s own figures' "
        "WHERE NOT EXISTS (SELECT 1 FROM reason_codes WHERE code = 'channel_sync')"))


def downgrade() -> None:
    # The reason code stays: postings may name it.
    op.drop_table('channel_cursors')
