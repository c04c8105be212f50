"""Test databases: SQLite always, PostgreSQL when ONHAND_TEST_DATABASE_URL is set.

Running the migrations takes 0.3-0.5 s on SQLite and over a second on PostgreSQL, and
the suite needs a new database for every test and every Hypothesis example. So each
test process (each xdist worker) migrates once and clones:

- SQLite: a migrated template file, copied for each test.
- PostgreSQL: a pool of migrated schemas (each test reaches its own through
  `search_path`). A schema given back is reset in one round trip to what the migrations
  left, from a pristine template schema: every table emptied with triggers and foreign
  keys off (`session_replication_role = replica`), the rows the migrations seed copied
  back, every sequence set back. A role that may not do that empties the tables with
  one TRUNCATE instead. A schema that cannot be reset is dropped, not reused.

`fresh_database` gives such a migrated, clean database; `empty_database` one with nothing
in it, not even a schema, for the tests whose subject is migrating a database.
`tests/integration/platform/test_test_databases.py` proves a clone equals a freshly migrated one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from onhand.adapters.db.engine import make_engine, normalize_url
from onhand.adapters.db.migrate import upgrade

POSTGRES_URL = os.environ.get("ONHAND_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
# Schemas of this suite are named so that a later run can tell whose they are.
SCHEMA_PREFIX = "onhand_test_"


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """Yield the URL of a migrated database of `backend` holding only what the
    migrations put there; it is gone (or clean again) afterwards."""
    if backend == "sqlite":
        target = directory / "onhand.db"
        shutil.copyfile(_sqlite_template(), target)
        yield f"sqlite:///{target}"
        return
    pool = _postgres_pool()
    schema = pool.take()
    try:
        yield schema_url(schema)
    finally:
        pool.give_back(schema)


@contextmanager
def empty_database(backend: str, directory: Path) -> Iterator[str]:
    """Yield the URL of a database with nothing in it (not migrated); drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'onhand.db'}"
        return
    schema = f"{SCHEMA_PREFIX}{os.getpid()}_empty_{uuid.uuid4().hex[:8]}"
    with _admin().connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(schema)
    finally:
        with _admin().connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def schema_url(schema: str) -> str:
    """The test PostgreSQL database, with `schema` first on the search path."""
    assert POSTGRES_URL is not None
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


# ------------------------------------------------------------------------- SQLite

_template_lock = threading.Lock()
_template: Path | None = None


def _sqlite_template() -> Path:
    """A migrated SQLite file, made once per process."""
    global _template
    with _template_lock:
        if _template is None:
            directory = Path(tempfile.mkdtemp(prefix="onhand-template-"))
            atexit.register(shutil.rmtree, directory, True)
            path = directory / "template.db"
            migrate(f"sqlite:///{path}")
            _template = path
        return _template


def migrate(url: str) -> None:
    """Run every migration on the database at `url`. The engine is disposed of after,
    so a SQLite file is checkpointed whole (no -wal file beside it) and can be copied."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


# --------------------------------------------------------------------- PostgreSQL

_admin_engine: Engine | None = None
_pool: SchemaPool | None = None
_pool_lock = threading.Lock()


def _admin() -> Engine:
    global _admin_engine
    with _pool_lock:
        if _admin_engine is None:
            assert POSTGRES_URL is not None
            _admin_engine = create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        return _admin_engine


def _postgres_pool() -> SchemaPool:
    global _pool
    admin = _admin()
    with _pool_lock:
        if _pool is None:
            _pool = SchemaPool(admin, f"{SCHEMA_PREFIX}{os.getpid()}")
            atexit.register(_pool.close)
        return _pool


class SchemaPool:
    """Migrated schemas of one process, handed out one test at a time each."""

    def __init__(self, admin: Engine, name: str, emptying: Emptying | None = None) -> None:
        self._admin = admin
        self._name = name
        self._free: list[str] = []
        self._lock = threading.Lock()
        drop_abandoned_schemas(admin)
        self.template = f"{name}_template"
        self._create(self.template)
        self.emptying = emptying or ("delete" if may_disable_triggers(admin) else "truncate")
        self._reset_sql = reset_statements(admin, self.template, self.emptying)

    def take(self) -> str:
        with self._lock:
            if self._free:
                return self._free.pop()
        schema = f"{self._name}_{uuid.uuid4().hex[:8]}"
        self._create(schema)
        return schema

    def give_back(self, schema: str) -> None:
        try:
            self.reset(schema)
        except Exception:
            # Still locked by a connection the test left open, say: never reuse it.
            self._drop(schema)
            raise
        with self._lock:
            self._free.append(schema)

    def reset(self, schema: str) -> None:
        """Make `schema` again what the migrations left (one round trip)."""
        with self._admin.connect() as conn:
            # psycopg runs several statements in one call when it is given no parameters.
            conn.connection.driver_connection.execute(self._reset_sql.replace(PLACEHOLDER, schema))

    def close(self) -> None:
        with self._lock:
            schemas, self._free = [*self._free, self.template], []
        for schema in schemas:
            self._drop(schema)

    def _create(self, schema: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        migrate(schema_url(schema))

    def _drop(self, schema: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


PLACEHOLDER = "__schema__"
Emptying = Literal["delete", "truncate"]


def reset_statements(admin: Engine, template: str, emptying: Emptying) -> str:
    """The SQL that resets a schema (named PLACEHOLDER) to `template`, a freshly
    migrated one: emptied, the seeded rows copied back, sequences where they were."""
    with admin.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"), {"s": template}
        ).scalars().all()
        seeded = [
            table for table in tables
            if conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{template}"."{table}")')).scalar()
        ]
        sequences = [
            (name, *conn.execute(text(f'SELECT last_value, is_called FROM "{template}"."{name}"')).one())
            for name in conn.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s ORDER BY sequencename"),
                {"s": template},
            ).scalars()
        ]
    target = f'"{PLACEHOLDER}"'
    if emptying == "delete":
        # Triggers (the ledger's append-only guard, foreign keys) do not fire: any order will do.
        emptied = ["SET LOCAL session_replication_role = replica"]
        emptied += [f'DELETE FROM {target}."{table}"' for table in tables]
    else:
        emptied = ["TRUNCATE " + ", ".join(f'{target}."{table}"' for table in tables)]
    statements = [
        "BEGIN",
        "SET LOCAL lock_timeout = '5s'",
        *emptied,
        *(f'INSERT INTO {target}."{table}" SELECT * FROM "{template}"."{table}"' for table in seeded),
        *(f"SELECT setval('{target}.\"{name}\"', {value}, {called})" for name, value, called in sequences),
        "COMMIT",
    ]
    return ";\n".join(statements)


def may_disable_triggers(admin: Engine) -> bool:
    """Whether this role may set session_replication_role (a superuser, or granted it)."""
    with admin.connect() as conn:
        try:
            conn.execute(text("SET session_replication_role = replica"))
        except DBAPIError:
            return False
        conn.execute(text("RESET session_replication_role"))
    return True


def drop_abandoned_schemas(admin: Engine) -> None:
    """Drop the schemas of test processes that are no longer running (killed ones)."""
    with admin.connect() as conn:
        names = conn.execute(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"{SCHEMA_PREFIX}%"}
        ).scalars().all()
        for name in names:
            pid = name.removeprefix(SCHEMA_PREFIX).split("_", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
