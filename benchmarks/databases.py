"""Empty databases to run the workload on: a SQLite file or a PostgreSQL schema.

The PostgreSQL schema is fresh (via `search_path` in the URL) and dropped afterwards,
so a run neither sees nor leaves rows in the database it is pointed at.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Table, create_engine, insert, text
from sqlalchemy.engine import make_url

from onhand.adapters.db.engine import normalize_url


@dataclass(frozen=True)
class Target:
    url: str  # what `open_onhand` is given
    description: str  # what the report prints


def describe(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite {sqlite3.sqlite_version}, file {parsed.database} (WAL)"
    return f"{parsed.get_backend_name()} {parsed.render_as_string(hide_password=True)}"


@contextmanager
def fresh_sqlite() -> Iterator[Target]:
    """A new SQLite file in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="onhand-bench-") as directory:
        url = f"sqlite:///{Path(directory) / 'onhand.db'}"
        yield Target(url, describe(url))


@contextmanager
def fresh_postgres_schema(url: str) -> Iterator[Target]:
    """A new schema in the PostgreSQL database at `url`, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in url else "?"
        schema_url = f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
        shown = make_url(url).render_as_string(hide_password=True)
        yield Target(schema_url, f"postgresql {version}, {shown}, fresh schema {schema}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def given(url: str) -> Iterator[Target]:
    """A database the user named; the run checks that it holds no items yet."""
    yield Target(url, describe(url))


def bulk_load(onhand, tables: tuple[tuple[str, Table], ...], rows: dict[str, list[dict]], chunk: int = 10_000) -> None:
    """Insert made-up rows table by table in one transaction (bypassing the services, as a
    history too large to post one by one), then give the planner statistics. On PostgreSQL
    the rows go in by COPY (a year of shipments in a minute, not a quarter of an hour: the
    transaction is open that long, and holds back every other reader's horizon)."""
    with onhand.writing() as uow:
        conn = uow.connection
        for name, table in tables:
            if conn.dialect.name == "postgresql" and _copyable(table, rows[name]):
                _copy(conn, table, rows[name])
                continue
            for start in range(0, len(rows[name]), chunk):
                conn.execute(insert(table), rows[name][start:start + chunk])
        if conn.dialect.name == "postgresql":
            for name, _ in tables:
                conn.exec_driver_sql(f"ANALYZE {name}")
        else:
            conn.exec_driver_sql("ANALYZE")


def _copyable(table: Table, rows: list[dict]) -> bool:
    """COPY skips what SQLAlchemy fills in: only rows giving every column that has a default."""
    if not rows:
        return False
    given = set(rows[0])
    return all(column.name in given or (column.default is None and column.onupdate is None)
               for column in table.columns)


def _copy(conn, table: Table, rows: list[dict]) -> None:
    """`COPY table (columns) FROM STDIN`, each value made as the column's type binds it."""
    names = list(rows[0])
    dialect = conn.dialect
    binders = [table.c[name].type.bind_processor(dialect) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([value if bind is None or value is None else bind(value)
                                for bind, value in zip(binders, (row[name] for name in names), strict=True)])
    finally:
        cursor.close()
