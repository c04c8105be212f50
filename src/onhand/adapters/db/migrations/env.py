"""Alembic environment: migrations run on the connection `migrate.upgrade` hands in."""

from __future__ import annotations

from alembic import context

from onhand.adapters.db.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - only for `alembic revision --autogenerate`
    from onhand.adapters.db.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///autogen.db")
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
