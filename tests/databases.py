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
def fresh_database(backend: str) -> Iterator[str]:
    """Yield the URL of a migrated database of `backend` holding only what the
    migrations put there; it is gone (or clean again) afterwards."""
    if backend == "sqlite":
        slot = _sqlite_slots().take()
        try:
            yield _handed_out(f"sqlite:///{slot}")
        finally:
            _sqlite_slots().give_back(slot)
        return
    pool = _postgres_pool()
    schema = pool.take()
    try:
        # Its engine keeps its idle connections (below, "Engines"): the reset changed rows,
        # not tables, so what a server process cached of them still holds.
        yield _handed_out(schema_url(schema), close_connections=False)
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


# A test's commit need not survive a crash of the server: without waiting for the WAL to
# reach the disk a commit takes 0.15 ms instead of 1 ms here (PostgreSQL's docs,
# "Non-Durable Settings"). What a transaction sees and locks is unchanged.
NON_DURABLE = "-csynchronous_commit=off"


def schema_url(schema: str) -> str:
    """The test PostgreSQL database, with `schema` first on the search path."""
    assert POSTGRES_URL is not None
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema} {NON_DURABLE}')}"


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


class SlotFiles:
    """The SQLite files a process hands out, at the same few paths again and again (so
    their engines can be kept, below); on tmpfs when the machine has one (no fsync cost).
    A slot taken gets a new file, a copy of the template (a new inode: a connection some
    test left open still sees its old file, never a half-copied one)."""

    def __init__(self) -> None:
        shm = Path("/dev/shm")
        parent = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        self._directory = Path(tempfile.mkdtemp(prefix="onhand-slots-", dir=parent))
        atexit.register(shutil.rmtree, self._directory, True)
        self._free: list[Path] = []
        self._made = 0
        self._lock = threading.Lock()

    def take(self) -> Path:
        with self._lock:
            if self._free:
                slot = self._free.pop()
            else:
                self._made += 1
                slot = self._directory / f"slot-{self._made}.db"
        forget_engine(f"sqlite:///{slot}")
        for leftover in (slot, slot.with_name(slot.name + "-wal"), slot.with_name(slot.name + "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(_sqlite_template(), slot)
        return slot

    def give_back(self, slot: Path) -> None:
        with self._lock:
            self._free.append(slot)


_slots: SlotFiles | None = None


def _sqlite_slots() -> SlotFiles:
    global _slots
    with _template_lock:
        if _slots is None:
            _slots = SlotFiles()
        return _slots


# ------------------------------------------------------------------------ Engines

# SQLAlchemy compiles each statement once per engine (its compiled cache belongs to the
# engine): a test that opened a new engine compiled everything it ran again, a third of
# the suite's time. The URLs handed out above come back again and again (a few SQLite
# slots, the schema pool), so `open_onhand` keeps one engine per such URL (tests/conftest.py
# puts `kept_engine` in its place). Handing a SQLite slot out again first closes that
# engine's connections: the slot is a new file, and none of them may still point at the old
# one. A PostgreSQL schema keeps its tables when it is reset, so its engine keeps its idle
# connections too: a new one is a new server process (connecting, then warming its caches
# and preparing statements again), 15-25 % of a PostgreSQL test's time. Onhand sets
# nothing on a connection that outlives a transaction (only `SET LOCAL`).
_kept: dict[tuple[str, tuple[tuple[str, object], ...]], Engine] = {}
_reused: set[str] = set()
_engines_lock = threading.Lock()


def _handed_out(url: str, *, close_connections: bool = True) -> str:
    with _engines_lock:
        _reused.add(normalize_url(url))
    if close_connections:
        forget_engine(url)
    return url


def forget_engine(url: str) -> None:
    """Close the pooled connections of the engine kept for `url` (it stays usable)."""
    url = normalize_url(url)
    with _engines_lock:
        engines = [engine for (kept_url, _options), engine in _kept.items() if kept_url == url]
    for engine in engines:
        engine.dispose()


def is_kept(engine: Engine) -> bool:
    with _engines_lock:
        return any(kept is engine for kept in _kept.values())


def kept_engine(url: str, **options: object) -> Engine:
    """`make_engine`, but one engine per handed-out URL and options for the whole process."""
    url = normalize_url(url)
    if url not in _reused:
        return make_engine(url, **options)  # type: ignore[arg-type]
    key = (url, tuple(sorted(options.items())))
    with _engines_lock:
        engine = _kept.get(key)
        if engine is None:
            engine = _kept[key] = make_engine(url, **options)  # type: ignore[arg-type]
        return engine


# --------------------------------------------------------------------- PostgreSQL

_admin_engine: Engine | None = None
_pool: SchemaPool | None = None
_pool_lock = threading.Lock()


def _admin() -> Engine:
    global _admin_engine
    with _pool_lock:
        if _admin_engine is None:
            assert POSTGRES_URL is not None
            _admin_engine = create_engine(
                normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT", connect_args={"options": NON_DURABLE}
            )
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
