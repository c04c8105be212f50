"""The suite's databases are what they claim: a clone of the migrated template, and a
pooled PostgreSQL schema reset after a test wrote to it, equal a freshly migrated
database: the same tables, columns, indexes, constraints and triggers, the same rows,
the same sequences."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text

from onhand import services
from onhand.adapters.db.engine import normalize_url
from onhand.bootstrap import open_onhand
from onhand.domain.access.commands import CreateApiKey
from tests import databases
from tests.databases import fresh_database, migrate
from tests.integration.helpers import add_item, add_place, adjust, order

Snapshot = dict[str, object]
# The rows the migrations seed carry the moment they ran, which no two databases share.
WHEN_MIGRATED = ("created_at", "updated_at")


def row_without_times(row: Mapping[str, object]) -> tuple:
    return tuple(sorted((key, str(value)) for key, value in row.items() if key not in WHEN_MIGRATED))


def sqlite_snapshot(url: str) -> Snapshot:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")).all()
            tables = [name for kind, name, _, _ in schema if kind == "table"]
            rows = {
                table: sorted(map(row_without_times, conn.execute(text(f'SELECT * FROM "{table}"')).mappings()))
                for table in tables
            }
            pragmas = [conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("journal_mode", "user_version")]
    finally:
        engine.dispose()
    return {"schema": schema, "rows": rows, "pragmas": pragmas}


STRUCTURE = {
    "columns": """SELECT table_name, column_name, ordinal_position, data_type, is_nullable,
                         replace(column_default, :schema, 'S') FROM information_schema.columns
                  WHERE table_schema = :schema ORDER BY 1, 3""",
    "indexes": """SELECT tablename, indexname, replace(indexdef, :schema, 'S') FROM pg_indexes
                  WHERE schemaname = :schema ORDER BY 1, 2""",
    "constraints": """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                      JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = :schema ORDER BY 2""",
    "triggers": """SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND NOT t.tgisinternal
                   ORDER BY 1, 2""",
}


def postgres_snapshot(conn: Connection, schema: str) -> Snapshot:
    found: Snapshot = {
        part: [tuple(str(cell).replace(schema, "S") for cell in row)
               for row in conn.execute(text(sql), {"schema": schema})]
        for part, sql in STRUCTURE.items()
    }
    tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY 1"), {"s": schema})
    found["rows"] = {
        table: sorted(map(row_without_times, conn.execute(text(f'SELECT row_to_json(t) FROM "{schema}"."{table}" t'))
                          .scalars()))
        for table in tables.scalars().all()
    }
    sequences = conn.execute(
        text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s ORDER BY 1"), {"s": schema}
    )
    found["sequences"] = {
        name: tuple(conn.execute(text(f'SELECT last_value, is_called FROM "{schema}"."{name}"')).one())
        for name in sequences.scalars().all()
    }
    return found


def write_a_little_of_everything(url: str) -> None:
    onhand = open_onhand(url)
    try:
        add_place(onhand, "NY")
        add_item(onhand, "TEA")
        add_item(onhand, "HONEY", tracking="lot")
        adjust(onhand, "NY", "TEA", 5)
        adjust(onhand, "NY", "HONEY", 3, lot="H1", expiry_date="2030-01-01")
        order(onhand, ("TEA", 2))
        services.keys.create_api_key(onhand, CreateApiKey(name="k", role="admin"))
    finally:
        onhand.close()


def test_a_sqlite_clone_equals_a_freshly_migrated_database(tmp_path: Path) -> None:
    migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(migrated)
    with fresh_database("sqlite") as url:
        assert sqlite_snapshot(url) == sqlite_snapshot(migrated)


@pytest.mark.parametrize("backend", databases.BACKENDS)
def test_a_database_handed_out_again_keeps_its_engine_but_nothing_of_the_last_test(backend: str) -> None:
    with fresh_database(backend) as url:
        first = open_onhand(url)
        add_item(first, "LEFT-BEHIND")
        engine = first.engine
        # Not closed: a connection stays in the engine's pool, as a careless test would leave it.
    with fresh_database(backend) as again:
        assert again == url  # the same slot or schema: a process hands out the same few
        second = open_onhand(again)
        try:
            assert second.engine is engine  # compiled statements kept (tests/databases.py, "Engines")
            assert services.items.list_items(second) == []
        finally:
            second.close()
    first.close()


def test_an_empty_database_is_really_empty(tmp_path: Path, empty_database_url: str) -> None:
    engine = create_engine(normalize_url(empty_database_url))
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                assert conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar() == 0
            else:
                tables = text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
                assert conn.execute(tables).scalar() == 0
    finally:
        engine.dispose()


@pytest.fixture
def admin() -> Iterator[Connection]:
    if databases.POSTGRES_URL is None:
        pytest.skip("needs ONHAND_TEST_DATABASE_URL")
    engine = create_engine(normalize_url(databases.POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        yield conn
    engine.dispose()


@pytest.fixture
def freshly_migrated(admin: Connection) -> Iterator[Snapshot]:
    schema = f"{databases.SCHEMA_PREFIX}{os.getpid()}_migrated"
    admin.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        migrate(databases.schema_url(schema))
        yield postgres_snapshot(admin, schema)
    finally:
        admin.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.mark.parametrize("emptying", ["delete", "truncate"])
def test_a_pooled_schema_written_to_and_reset_equals_a_freshly_migrated_one(
    admin: Connection, freshly_migrated: Snapshot, emptying: databases.Emptying
) -> None:
    pool = databases.SchemaPool(admin.engine, f"{databases.SCHEMA_PREFIX}{os.getpid()}_selfcheck", emptying)
    try:
        schema = pool.take()
        write_a_little_of_everything(databases.schema_url(schema))
        assert postgres_snapshot(admin, schema) != freshly_migrated
        pool.give_back(schema)
        assert postgres_snapshot(admin, schema) == freshly_migrated
        assert pool.take() == schema  # used again, not made anew
        pool.give_back(schema)
    finally:
        pool.close()
