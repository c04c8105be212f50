"""Engines for the two supported databases, configured for safe concurrent writes.

SQLite: WAL, a busy timeout, foreign keys on, and write transactions opened with
BEGIN IMMEDIATE so that concurrent writers queue instead of failing mid-transaction
with "database is locked". `synchronous` is FULL (every commit reaches the disk before
it returns) or NORMAL (faster; in WAL mode a power cut or OS crash may lose the last
commits, never corrupt the file; a crash of Onhand itself loses nothing): see
config.py. PostgreSQL: psycopg 3.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from onhand.adapters.db.hot import run_sql
from onhand.adapters.db.sums import SQLITE_NAME, SqliteExactSum

SQLITE_BUSY_TIMEOUT_MS = 60_000
# Helper threads SQLite may use for one large sort (only a sort too big for one pass uses
# them): `onhand verify` folds 2.7 million rows at a million moves, 2.3 s -> 1.65 s with 2.
SQLITE_SORT_THREADS = min(4, os.cpu_count() or 1)
# Execution option a unit of work sets on connections that will write.
WRITE_OPTION = "onhand_write"
SqliteSynchronous = Literal["FULL", "NORMAL"]
# Room for a busy API server's threads (each request holds one connection), on both
# databases. SQLAlchemy's default for a SQLite file is 5 (+10 overflow, closed when given
# back): under the webhook benchmark the server opened a new connection, with its pragmas,
# for every request past the fifth at once (5 % of its time).
POOL = {"pool_size": 20, "max_overflow": 10}


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and pick the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, sqlite_synchronous: SqliteSynchronous = "NORMAL", **kwargs: Any) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, sqlite_synchronous, **kwargs)
    # No pre-ping (a round trip per transaction): a connection found dead fails its
    # transaction, which the unit of work reports as transient, and the service retries.
    engine = create_engine(url, **(POOL | kwargs))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Onhand's statements are short; PostgreSQL's JIT compiler, which starts on
        # high cost estimates (a table without statistics yet), spent ~0.6 s compiling a
        # 1 ms query of a 20-order batch here. Off for this connection only.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()

    return engine


def _sqlite_engine(url: str, database: str | None, synchronous: SqliteSynchronous, **kwargs: Any) -> Engine:
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"SQLite synchronous must be FULL or NORMAL, not {synchronous!r}")
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    options = ({} if database in (None, "", ":memory:") else POOL) | kwargs
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **options,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        configure_sqlite_connection(dbapi_connection, synchronous)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front; a reader sees a snapshot.
        run_sql(connection, "BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "BEGIN")

    return engine


def configure_sqlite_connection(dbapi_connection: Any, synchronous: SqliteSynchronous) -> None:
    """What every SQLite connection of Onhand's is set up with: transactions begun only when
    asked (SQLAlchemy's "begin" event decides how), its pragmas, the exact SUM."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA threads={SQLITE_SORT_THREADS}")
    cursor.close()
    # SUM that does not stop at 64 bits (adapters/db/sums.py).
    dbapi_connection.create_aggregate(SQLITE_NAME, 1, SqliteExactSum)


@contextmanager
def lock_wait(conn: Connection, milliseconds: int | None) -> Iterator[None]:
    """On SQLite, wait at most `milliseconds` for the write lock while inside (None: as
    configured); PostgreSQL's wait is set in the transaction (`set_local_lock_timeout`)."""
    if milliseconds is None or conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    raw.execute(f"PRAGMA busy_timeout={int(milliseconds)}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def set_local_lock_timeout(conn: Connection, milliseconds: int) -> None:
    """On PostgreSQL, give up on a lock after `milliseconds` for the rest of this transaction."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(milliseconds)}ms'")
