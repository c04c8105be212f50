"""SQLite's WAL checkpoints in a thread of their own, off the writers' path.

In WAL mode a commit appends to the `-wal` file; a checkpoint copies those pages back into
the database file and syncs it. By default the commit that takes the WAL past 1,000 pages
runs the checkpoint itself, while it holds the write lock: one request in every few dozen
waits for the copy and the sync, and every writer behind it waits too (one adjustment at a
time: p99 4.7 ms with them, 1.7 ms without; `benchmarks/README.md`). While a
`WalCheckpoints` runs, a passive checkpoint (it never blocks a writer or waits for a
reader) runs every `interval` on a connection of its own, and the engine's connections
checkpoint only past a backstop. What a commit promises does not change: the WAL is synced
as `synchronous` says, and a checkpoint only moves pages already committed."""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

INTERVAL_S = 0.1  # the WAL grows by at most what the writers commit in this time between checkpoints
# A commit still checkpoints past this many pages (32 MiB of 4 KiB ones), for a reason of its
# own: the WAL starts over only when a writer begins while all of it is copied back, which
# under a steady stream of writes happens right after a commit's checkpoint, not the thread's.
# Most of it is copied by then: that commit copies what is left and syncs.
BACKSTOP_PAGES = 8000
DEFAULT_PAGES = 1000  # SQLite's own wal_autocheckpoint, given back when the checkpoints stop


def on_a_file(engine: Engine) -> bool:
    """Whether `engine` is SQLite on a database file (an in-memory one has no WAL)."""
    database = engine.url.database
    return engine.dialect.name == "sqlite" and bool(database) and database != ":memory:"


class WalCheckpoints:
    """Checkpoints of a SQLite file database in a background thread, from `start` to `close`."""

    def __init__(self, engine: Engine, *, interval: float = INTERVAL_S) -> None:
        if not on_a_file(engine):
            raise ValueError("WAL checkpoints run on a SQLite database file")
        self._engine = engine
        self._database = str(engine.url.database)
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.copied = 0  # pages copied back into the database file so far (for logs and tests)

    def start(self) -> WalCheckpoints:
        if event.contains(self._engine, "checkout", _take_checkpoints_back):
            event.remove(self._engine, "checkout", _take_checkpoints_back)
        event.listen(self._engine, "checkout", _leave_checkpoints)
        self._thread = threading.Thread(target=self._run, name="onhand-wal-checkpoints", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop, after a last checkpoint; the engine's connections checkpoint for themselves again."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        event.remove(self._engine, "checkout", _leave_checkpoints)
        event.listen(self._engine, "checkout", _take_checkpoints_back)  # for connections still pooled

    def _run(self) -> None:
        conn = sqlite3.connect(self._database, check_same_thread=True)
        try:
            while not self._stop.wait(self._interval):
                self._checkpoint(conn)
            self._checkpoint(conn)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            _busy, _pages, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as error:  # the next round tries again
            log.warning("WAL checkpoint failed: %s", error)
            return
        self.copied += max(int(copied), 0)


def _leave_checkpoints(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    _set_pages(dbapi_connection, record, BACKSTOP_PAGES)


def _take_checkpoints_back(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    _set_pages(dbapi_connection, record, DEFAULT_PAGES)


def _set_pages(dbapi_connection: Any, record: Any, pages: int) -> None:
    # Once per pooled connection and setting: a checkout asks a dict, not SQLite.
    if record.info.get("wal_autocheckpoint", DEFAULT_PAGES) != pages:
        dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={pages}")
        record.info["wal_autocheckpoint"] = pages
