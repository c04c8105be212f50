"""The database of one engine: it opens units of work (uow.py) for reads, writes, brief
writes and group commits, and keeps what the process shares across them: the location cache,
the write turn and read turns on SQLite, the change feed's listeners and signals."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from onhand.adapters.db.engine import SQLITE_BUSY_TIMEOUT_MS, WRITE_OPTION, lock_wait, set_local_lock_timeout
from onhand.adapters.db.feed_signals import FeedSignals
from onhand.adapters.db.group_turn import GroupTurn
from onhand.adapters.db.read_turns import ReadTurns
from onhand.adapters.db.repositories.places import LocationCache
from onhand.adapters.db.transient import as_transient, is_retryable
from onhand.adapters.db.uow import SqlUnitOfWork, Subscribers
from onhand.domain.actors import SYSTEM, Actor
from onhand.domain.errors import TransientConflict

# How long a brief write (bookkeeping that may be skipped) waits for a lock.
BRIEF_LOCK_WAIT_MS = 100
# How long a group's statement waits for a row lock on PostgreSQL (group_commit.py).
GROUP_LOCK_WAIT_MS = 100


class SqlDatabase:
    """Opens units of work on one engine."""

    def __init__(self, engine: Engine, subscribers: Subscribers | None = None) -> None:
        self.engine = engine
        self.locations = LocationCache()
        self.subscribers = subscribers
        # Called after a transaction of this process committed events (the worker's wake-up).
        self.feed_listeners: list[Callable[[], None]] = []
        # SQLite has one writer at a time: this process's writers take turns here.
        self._writer = threading.Lock() if engine.dialect.name == "sqlite" else None
        # SQLite's reads take turns (read_turns.py); PostgreSQL's do not.
        self._read_turns = ReadTurns() if engine.dialect.name == "sqlite" else None
        # Other processes' commits to the feed (PostgreSQL), once a worker waits for them.
        self._signals: FeedSignals | None = None
        self._signals_lock = threading.Lock()

    def listen_for_feed(self, on_signal: Callable[[], None]) -> None:
        """Call `on_signal` whenever another process commits events (PostgreSQL; from the
        first call on, until `stop_listening`). SQLite: one process writes, its own commits
        call the feed listeners."""
        if self.engine.dialect.name != "postgresql" or self._signals is not None:
            return
        with self._signals_lock:
            if self._signals is None:
                self._signals = FeedSignals(self.engine, on_signal)
                self._signals.start()

    def stop_listening(self) -> None:
        if self._signals is not None:
            self._signals.stop()

    @contextmanager
    def writing(self, actor: Actor = SYSTEM) -> Iterator[SqlUnitOfWork]:
        yield from self._transaction(write=True, actor=actor)

    @contextmanager
    def writing_briefly(self, actor: Actor = SYSTEM) -> Iterator[SqlUnitOfWork]:
        """A write that waits at most BRIEF_LOCK_WAIT_MS for locks; it fails only as transient."""
        yield from self._transaction(write=True, actor=actor, lock_wait_ms=BRIEF_LOCK_WAIT_MS)

    @contextmanager
    def reading(self) -> Iterator[SqlUnitOfWork]:
        with self._read_turn():
            yield from self._transaction(write=False)

    def reads_without_waiting(self) -> bool:
        """Whether a one-statement read (`reading_once`) can run now without waiting: on
        SQLite (no network; a reader never waits for the writer) with a pooled connection
        idle. An event loop may then read on its own thread (read_turns.py)."""
        idle = getattr(self.engine.pool, "checkedin", None)
        return self._read_turns is not None and idle is not None and idle() > 0

    @contextmanager
    def _read_turn(self) -> Iterator[None]:
        if self._read_turns is None:
            yield
            return
        with self._read_turns.turn():
            yield

    @contextmanager
    def reading_once(self) -> Iterator[SqlUnitOfWork]:
        """A unit of work for one read statement, outside a transaction (one statement sees
        one state of the data by itself): on PostgreSQL one round trip where a transaction
        takes three (BEGIN, the read, COMMIT)."""
        try:
            with self._read_turn(), self.engine.connect() as conn:
                if conn.dialect.name == "postgresql":  # SQLite's connections run outside one already
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                yield SqlUnitOfWork(conn, self.locations, SYSTEM, self.subscribers)
        except DBAPIError as exc:
            if is_retryable(exc):
                raise as_transient(exc) from exc
            raise

    @contextmanager
    def _write_turn(self, write: bool, lock_wait_ms: int | None) -> Iterator[None]:
        """On SQLite, wait for this process's other writers here: the one waiting is woken
        the moment the turn is free, where SQLite's busy handler polls in growing sleeps
        (up to 100 ms each: the long tail of concurrent requests). Other processes still
        meet BEGIN IMMEDIATE and its busy timeout."""
        if not write or self._writer is None:
            yield
            return
        wait = SQLITE_BUSY_TIMEOUT_MS if lock_wait_ms is None else lock_wait_ms
        if not self._writer.acquire(timeout=wait / 1000):
            raise TransientConflict("another write of this process held the database too long")
        try:
            yield
        finally:
            self._writer.release()

    @contextmanager
    def group_transaction(self) -> Iterator[Connection]:
        """One write transaction for a group of requests (adapters/db/group_commit.py), which
        opens a unit of work per request on it; this process's other writers wait their turn
        on SQLite as for any write, and on PostgreSQL every other process's groups wait for
        its turn (group_turn.py), taken at its first statement that locks or writes, or when a
        unit of work says it is about to write. A failure to begin or commit is a
        TransientConflict: nothing of the group was committed, and each of its requests may be
        run again."""
        try:
            with self._write_turn(True, None), self.engine.connect() as conn:
                conn = conn.execution_options(**{WRITE_OPTION: True})
                turn = GroupTurn(conn, GROUP_LOCK_WAIT_MS) if conn.dialect.name == "postgresql" else None
                try:
                    with conn.begin():
                        set_local_lock_timeout(conn, GROUP_LOCK_WAIT_MS)
                        if turn is not None:
                            turn.when_locking()
                        yield conn
                        if turn is not None:
                            turn.let_go()
                finally:
                    if turn is not None:
                        turn.close()
        except DBAPIError as exc:
            raise as_transient(exc) from exc

    def _transaction(
        self, *, write: bool, actor: Actor = SYSTEM, lock_wait_ms: int | None = None
    ) -> Iterator[SqlUnitOfWork]:
        with self._write_turn(write, lock_wait_ms):
            yield from self._in_transaction(write=write, actor=actor, lock_wait_ms=lock_wait_ms)

    def _in_transaction(
        self, *, write: bool, actor: Actor, lock_wait_ms: int | None
    ) -> Iterator[SqlUnitOfWork]:
        recorded = False
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(**{WRITE_OPTION: True})
                with lock_wait(conn, lock_wait_ms), conn.begin():
                    if lock_wait_ms is not None:
                        set_local_lock_timeout(conn, lock_wait_ms)
                    uow = SqlUnitOfWork(conn, self.locations, actor, self.subscribers)
                    yield uow
                    # The change feed's events, last, in this transaction (if any was recorded).
                    recorded = "feed" in vars(uow) and uow.feed.flush()
            if recorded:
                for listener in self.feed_listeners:
                    listener()
        except DBAPIError as exc:
            # A brief write is bookkeeping that may be skipped: any failure of it is one to skip.
            if lock_wait_ms is not None or is_retryable(exc):
                raise as_transient(exc) from exc
            raise
