"""The second calibration: the very statements Onhand ran, run again by a bare `sqlite3` connection.

The raw loop (`raw_loop.py`) is what the smallest posting costs the database. An operation
writes more than that: an order created, allocated and shipped is three transactions and
its order, line, reservation, posting, moves, balances, values, cost layers, shipment,
audit records and feed events. To tell Onhand's own time from the database's, a phase's
statements are recorded as they reach the driver, with their parameters, and run again in
the same order and the same transactions, by one bare connection per connection Onhand
used (set up as Onhand sets up its own: `configure_sqlite_connection`), on a copy of the
database taken when the phase began. What that costs is what exactly those writes and reads cost without Onhand,
this minute. SQLite only: a PostgreSQL phase has nothing to replay against here.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from onhand.adapters.db.engine import configure_sqlite_connection

_COMMIT = "COMMIT"
_ROLLBACK = "ROLLBACK"


@dataclass
class Recording:
    """What one phase sent to the driver: (connection, statement, parameters, many)."""

    copy: Path
    steps: list[tuple[int, str, Any, bool]] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return sum(1 for _conn, statement, _params, _many in self.steps if statement not in (_COMMIT, _ROLLBACK))


@dataclass(frozen=True)
class Replay:
    statements: int
    transactions: int
    cpu_s: float
    same_rows: bool  # the copy holds afterwards what the database held when the recording ended


@contextmanager
def recording(engine: Engine, copy: Path) -> Iterator[Recording]:
    """Copy the SQLite database `engine` opens to `copy`, then record every statement,
    commit and rollback until the block ends."""
    source = sqlite3.connect(str(engine.url.database))
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # a consistent copy, whatever the WAL holds
    finally:
        target.close()
        source.close()
    kept = Recording(copy)
    steps = kept.steps

    def statement(_conn: Any, cursor: Any, text: str, parameters: Any, _context: Any, many: bool) -> None:
        steps.append((id(cursor.connection), text, parameters, many))  # the driver's cursor and connection

    def commit(conn: Any) -> None:
        steps.append((id(conn.connection.dbapi_connection), _COMMIT, (), False))

    def rollback(conn: Any) -> None:
        steps.append((id(conn.connection.dbapi_connection), _ROLLBACK, (), False))

    listeners = (("before_cursor_execute", statement), ("commit", commit), ("rollback", rollback))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield kept
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def _bare(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    configure_sqlite_connection(db, "NORMAL")  # Onhand's own set-up: transactions only as recorded
    return db


def replay(recorded: Recording, database: Path) -> Replay:
    """Run the recording again on its copy; its CPU time, and whether the copy then holds
    the rows `database` holds (called before anything else writes there). A statement that
    fails here (it did not in Onhand) raises: the copy or the recording is not what ran."""
    connections: dict[int, sqlite3.Connection] = {}
    steps = recorded.steps
    for conn, _statement, _params, _many in steps:
        if conn not in connections:
            connections[conn] = _bare(recorded.copy)
    cursors = {conn: db.cursor() for conn, db in connections.items()}
    transactions = 0
    try:
        cpu = time.process_time()
        for conn, statement, parameters, many in steps:
            cursor = cursors[conn]
            if statement is _COMMIT or statement is _ROLLBACK:
                if connections[conn].in_transaction:
                    cursor.execute(statement)
                    transactions += 1
            elif many:
                cursor.executemany(statement, parameters)
            else:
                cursor.execute(statement, parameters).fetchall()
        cpu = time.process_time() - cpu
    finally:
        for db in connections.values():
            db.close()
    return Replay(recorded.statements, transactions, cpu, _rows(recorded.copy) == _rows(database))


def _rows(path: Path) -> dict[str, str]:
    """Every table's rows, as a digest per table."""
    db = sqlite3.connect(path)
    try:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        digests = {}
        for table in tables:
            digest = hashlib.sha256()
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
            digests[table] = digest.hexdigest()
        return digests
    finally:
        db.close()
