"""Valuation history: what inbound moves were given, carried layers, checkpoints, heads.

Revision ID: 0009
Revises: 0010

Moves valued before this revision keep their value as their given value when it came
from a cost (a re-valuation then gives them the same value again); their heads are
filled from the ledger. Transfers valued before it have no carried layers stored: a
re-valuation values them again from both sides (services/valuation/backdating.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0010'  # merged after 0010 (opening values, supplier returns)
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite; quantities and money: scaled BIGINT.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('move_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_cost', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('given_value', sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE move_values SET given_value = value "
        "WHERE basis IN ('unit_cost', 'given_value', 'returned')"
    )
    op.create_table('move_carried_layers',
    sa.Column('move_id', ID, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('origin_move_id', ID, nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['move_id'], ['moves.id'], name=op.f('fk_move_carried_layers_move_id_moves')),
    sa.PrimaryKeyConstraint('move_id', 'position', name=op.f('pk_move_carried_layers'))
    )
    op.create_table('cost_checkpoints',
    sa.Column('item_id', ID, nullable=False),
    sa.Column('effective_at', sa.DateTime(), nullable=False),
    sa.Column('move_id', ID, nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_cost_checkpoints_item_id_items')),
    sa.PrimaryKeyConstraint('item_id', 'effective_at', 'move_id', name=op.f('pk_cost_checkpoints'))
    )
    op.create_table('valuation_heads',
    sa.Column('item_id', ID, nullable=False),
    sa.Column('effective_at', sa.DateTime(), nullable=False),
    sa.Column('move_id', ID, nullable=False),
    sa.Column('since_checkpoint', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_valuation_heads_item_id_items')),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_valuation_heads'))
    )
    # Each valued item's newest move (effective time, then id), and every move since no checkpoint.
    op.execute(
        "INSERT INTO valuation_heads (item_id, effective_at, move_id, since_checkpoint) "
        "SELECT item_id, effective_at, move_id, counted FROM ("
        " SELECT m.item_id AS item_id, p.effective_at AS effective_at, m.id AS move_id,"
        "  COUNT(*) OVER (PARTITION BY m.item_id) AS counted,"
        "  ROW_NUMBER() OVER (PARTITION BY m.item_id ORDER BY p.effective_at DESC, m.id DESC) AS newest"
        " FROM moves m JOIN postings p ON p.id = m.posting_id JOIN move_values v ON v.move_id = m.id"
        ") ranked WHERE newest = 1"
    )


def downgrade() -> None:
    op.drop_table('valuation_heads')
    op.drop_table('cost_checkpoints')
    op.drop_table('move_carried_layers')
    with op.batch_alter_table('move_values', schema=None) as batch_op:
        batch_op.drop_column('given_value')
        batch_op.drop_column('unit_cost')
