"""PostgreSQL: a transaction that appends to the change feed notifies `onhand_feed` on commit
(payload: the schema), so workers in other processes wake at once instead of at their next
poll. A statement-level trigger: no extra round trip for the writer; PostgreSQL sends one
notification per transaction and channel and payload, and only if it commits. SQLite: nothing
(one process writes; its own commits wake its worker).

Revision ID: 0037
Revises: 0036
"""

from __future__ import annotations

from alembic import op

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION onhand_feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('onhand_feed', current_schema());
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER events_notify AFTER INSERT ON events
        FOR EACH STATEMENT EXECUTE FUNCTION onhand_feed_notify()
    """)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_notify ON events")
    op.execute("DROP FUNCTION onhand_feed_notify()")
