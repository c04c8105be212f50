"""The migrations build exactly the schema the table modules describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from onhand.adapters.db.tables import metadata
from onhand.bootstrap import Onhand


def test_migrated_schema_matches_the_table_modules(onhand: Onhand) -> None:
    with onhand.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []
