"""Who did what: the append-only audit log; keys with expiry, last use and rotation;
idempotency keys scoped per caller.

Idempotency records written before this revision get the scope '' that no caller has:
they cannot be replayed any more (they expire within a day anyway).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Ids: BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_kind', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_key', sa.String(length=200), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor', ['actor_kind', 'actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_key', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_action', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
    _append_only('audit_log')

    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rotated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_expires_at', sa.DateTime(), nullable=True))

    # The primary key becomes (scope, key): a new table, the old rows copied with scope ''.
    # (PostgreSQL names constraints per schema: the new one is renamed once the old is gone.)
    postgresql = op.get_bind().dialect.name == 'postgresql'
    op.create_table('idempotency_keys_scoped',
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('resource_id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name='pk_idempotency_keys_scoped' if postgresql else 'pk_idempotency_keys')
    )
    op.execute("INSERT INTO idempotency_keys_scoped (scope, key, action, fingerprint, resource_id, created_at) "
               "SELECT '', key, action, fingerprint, resource_id, created_at FROM idempotency_keys")
    op.drop_table('idempotency_keys')
    op.rename_table('idempotency_keys_scoped', 'idempotency_keys')
    if postgresql:
        op.execute('ALTER TABLE idempotency_keys RENAME CONSTRAINT pk_idempotency_keys_scoped TO pk_idempotency_keys')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index('ix_idempotency_keys_scope', ['scope', 'created_at'], unique=False)


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE, as on the ledger (revision 0001 made the function)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION onhand_append_only()"
        )
    else:
        for event in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    op.create_table('idempotency_keys_unscoped',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('resource_id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name='pk_idempotency_keys_unscoped' if postgresql else 'pk_idempotency_keys')
    )
    # One row per key string: the newest use of it.
    op.execute("INSERT INTO idempotency_keys_unscoped (key, action, fingerprint, resource_id, created_at) "
               "SELECT key, action, fingerprint, resource_id, created_at FROM idempotency_keys AS i "
               "WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys AS j WHERE j.key = i.key "
               "AND (j.created_at > i.created_at OR (j.created_at = i.created_at AND j.scope > i.scope)))")
    op.drop_table('idempotency_keys')
    op.rename_table('idempotency_keys_unscoped', 'idempotency_keys')
    if postgresql:
        op.execute('ALTER TABLE idempotency_keys RENAME CONSTRAINT pk_idempotency_keys_unscoped TO pk_idempotency_keys')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_column('previous_secret_expires_at')
        batch_op.drop_column('previous_secret_hash')
        batch_op.drop_column('rotated_at')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
    op.drop_table('audit_log')
