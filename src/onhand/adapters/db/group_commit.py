"""Group commit: the server's writes to one database, many requests per transaction.

A request thread hands its write (`work`, a function of a unit of work) to `GroupWriter.run`
and waits. A writer thread takes what is queued — the first request, then whatever arrives
within `window` seconds, at most `max_group` — opens one transaction and runs each request
under a savepoint of its own, with a unit of work of its own: its repositories, the company
row, the ledger's last postings and the change feed's events are that request's alone, so a
request rolled back to its savepoint leaves nothing behind for the next. Its caller gets its
error unchanged (a retryable database error as `TransientConflict`, as a transaction of its
own would). One COMMIT ends the group; then the feed's listeners are told for each request
that recorded events, and every caller gets its result or error. A group whose BEGIN or
COMMIT fails fails every one of its requests with `GroupFailed`, a `TransientConflict`:
nothing of it was committed, and `in_transaction` runs each again.

A request may also hand the writer its whole call (`submit`): the writer runs it in a group,
and each write the call makes (`run`) is done there and then under a savepoint of its own.
One hand-off between threads per request instead of two (the request's thread, waiting for
its write, is not needed). Calls that say how they may be run `Together` (the same kind: the
same action by the same caller) are run at once when a group holds several: one call of their
`run_all` with each one's item, which gives each one's outcome, writing them in few statements
(`services.context.run_writes`).

One writer thread by default on both engines. On SQLite there can be no other (the process's
other writers — the worker, brief writes — take turns with it at the database's write lock,
`SqlDatabase._write_turn`). PostgreSQL could take several, each group a transaction of its
own; but a group holds the row locks of all its requests until it commits, so groups sharing
a hot row (the adjustment location's balance of a SKU) wait for each other whole and
deadlock where single requests would not: two or four writers served 32 clients'
adjustments at 29-31/s with a p99 of 3.6-4.4 s, one writer at 46/s (benchmarks/http.py).
For the same reason the groups of several server processes take turns at the database, from
their first statement that locks or writes (group_turn.py).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection

from onhand.adapters.db.database import SqlDatabase
from onhand.adapters.db.read_turns import never_wait_for_turns
from onhand.adapters.db.repositories.places import GroupLocationCache
from onhand.adapters.db.savepoints import in_savepoint
from onhand.adapters.db.uow import SqlUnitOfWork
from onhand.domain.actors import SYSTEM, Actor
from onhand.domain.errors import TransientConflict

T = TypeVar("T")
log = logging.getLogger(__name__)


class GroupFailed(TransientConflict):
    """A group's BEGIN or COMMIT failed: nothing of any of its requests was kept."""

# Requests of one group at most, and how long a writer waits for more after the first.
MAX_GROUP = 64
WINDOW_S = 0.002
# Writers on PostgreSQL unless told (`writers`): see above for why not more.
POSTGRES_WRITERS = 1
STOP_WAIT_S = 30.0


# A call's outcome when run together with others: (True, its result) or (False, its error).
Outcome = tuple[bool, Any]


@dataclass(frozen=True)
class Together:
    """How a submitted call may be run at once with the others of its kind in a group."""

    kind: Hashable  # calls of one kind in a group are run together
    item: Any  # what `run_all` needs of this call
    run_all: Callable[[Sequence[Any]], Sequence[Outcome]]  # the kind's items → each one's outcome


@dataclass
class _Request:
    actor: Actor
    work: Callable[[SqlUnitOfWork], Any] | None  # a write (`run`); None: `call` is run (`submit`)
    call: Callable[[], Any] | None = None
    together: Together | None = None
    future: Future[Any] = field(default_factory=Future)
    recorded: bool = False  # it wrote events to the change feed


@dataclass
class _Running:
    """The group call a writer thread is running: where its writes go."""
    conn: Connection
    locations: GroupLocationCache
    request: _Request


class GroupWriter:
    """The writer threads of one database, started at the first write, stopped by `close`."""

    def __init__(
        self, database: SqlDatabase, *, writers: int | None = None, window: float = WINDOW_S,
        max_group: int = MAX_GROUP,
    ) -> None:
        self._database = database
        sqlite = database.engine.dialect.name == "sqlite"
        self._writers = 1 if sqlite else (writers or POSTGRES_WRITERS)
        self._window = window
        self._max_group = max_group
        self._queue: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False
        self._here = threading.local()  # a writer thread's `_Running` call, while it runs one

    def run(self, actor: Actor, work: Callable[[SqlUnitOfWork], T]) -> T:
        """`work` in the next group's transaction, under its own savepoint; its result, or its error.
        Inside a call the writer runs (`submit`): at once, in the call's group."""
        running: _Running | None = getattr(self._here, "running", None)
        if running is not None:
            ok, value = self._in_savepoint(running.conn, running.locations, running.request, work, actor)
            if not ok:
                raise value
            return value  # type: ignore[no-any-return]
        if self.on_writer_thread():
            raise RuntimeError("a write inside a group's write would wait for itself")
        return self._queued(_Request(actor, work)).result()  # type: ignore[no-any-return]

    def submit(self, call: Callable[[], T], together: Together | None = None) -> Future[T]:
        """Run `call` on the writer, in the next group: each write it makes (`run`, through
        `in_transaction`) is done there and then, under a savepoint of its own, as a transaction
        of its own would be; what it returns or raises is its future's once the group has
        committed. So a request's writes need no thread of their own to wait for them (a
        hand-off to a thread and back per request). A group whose COMMIT fails fails the call
        with `GroupFailed`, whatever it returned: nothing it wrote was kept, and it may be
        called again. `call` must write only through `run`, and wait for nothing else.
        With `together`, when the group holds others of its kind, `call` is not called: their
        `run_all` gives its outcome (under the same rules)."""
        return self._queued(_Request(SYSTEM, None, call, together))

    def _queued(self, request: _Request) -> Future[Any]:
        with self._lock:  # a request is queued before the stop signals, or refused
            if self._closed:
                raise RuntimeError("the group writer is closed")
            if not self._threads:
                self._start()
            self._queue.put(request)
        return request.future

    def on_writer_thread(self) -> bool:
        """Whether this thread is one of the writer's (running a group)."""
        return threading.current_thread() in self._threads

    @property
    def queued(self) -> int:
        """Requests waiting for a writer to take them (approximately, as any queue's size)."""
        return self._queue.qsize()

    def close(self) -> None:
        """Finish what is queued, then stop the writers."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
            for _ in threads:
                self._queue.put(None)
        for thread in threads:
            thread.join(timeout=STOP_WAIT_S)

    def _start(self) -> None:
        for number in range(self._writers):
            thread = threading.Thread(target=self._serve, name=f"onhand-writer-{number}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self) -> None:
        never_wait_for_turns()  # a read a group's call makes must not hold up the group
        while True:
            first = self._queue.get()
            if first is None:
                return
            group, stop = self._gather(first)
            try:
                self._commit(group)
            except BaseException as exc:  # a bug here must not leave callers waiting forever
                log.exception("group commit failed")
                for request in group:
                    if not request.future.done():
                        request.future.set_exception(exc)
            if stop:
                return

    def _gather(self, first: _Request) -> tuple[list[_Request], bool]:
        """The group: `first` and what is queued within the window; whether a stop signal came."""
        group = [first]
        deadline = time.monotonic() + self._window
        while len(group) < self._max_group:
            wait = deadline - time.monotonic()
            try:
                request = self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if request is None:
                return group, True
            group.append(request)
        return group, False

    def _commit(self, group: list[_Request]) -> None:
        # A request whose caller gave up while it was queued (a future cancelled) is not run;
        # the others can no longer be cancelled, so each gets its outcome once the group ends.
        group = [request for request in group if request.future.set_running_or_notify_cancel()]
        if not group:
            return
        locations = GroupLocationCache(self._database.locations)
        kinds: dict[Hashable, list[int]] = {}
        for index, request in enumerate(group):
            if request.together is not None:
                kinds.setdefault(request.together.kind, []).append(index)
        try:
            with self._database.group_transaction() as conn:
                outcomes = self._each(conn, locations, group, kinds)
        except TransientConflict as exc:
            reason = str(exc)
            for request in group:  # each its own error: callers raise them in their own threads
                request.future.set_exception(GroupFailed(f"the group's commit failed: {reason}"))
            return
        locations.publish()
        for request in group:
            if request.recorded:
                for listener in self._database.feed_listeners:
                    listener()
        for request, (ok, value) in zip(group, outcomes, strict=True):
            if ok:
                request.future.set_result(value)
            else:
                request.future.set_exception(value)

    def _each(self, conn: Connection, locations: GroupLocationCache, group: list[_Request],
              kinds: dict[Hashable, list[int]]) -> list[Outcome]:
        """Each request's outcome: in turn, those of a kind together (`kinds`: their places in the
        group) where the first of them was."""
        outcomes: dict[int, Outcome] = {}
        for index, request in enumerate(group):
            if index in outcomes:
                continue
            joint = kinds[request.together.kind] if request.together is not None else [index]
            if len(joint) == 1:
                outcomes[index] = self._one(conn, locations, request)
            else:
                outcomes.update(zip(joint, self._together(conn, locations, [group[i] for i in joint]), strict=True))
        return [outcomes[index] for index in range(len(group))]

    def _together(self, conn: Connection, locations: GroupLocationCache, requests: list[_Request]) -> list[Outcome]:
        """The outcomes of calls of one kind, from one call of their `run_all` (as the first's)."""
        together = [request.together for request in requests if request.together is not None]
        ok, outcomes = self._running(conn, locations, requests[0],
                                     lambda: list(together[0].run_all([each.item for each in together])))
        if not ok:
            return [(False, outcomes)] * len(requests)
        if len(outcomes) != len(requests):
            raise RuntimeError(f"{len(requests)} calls run together gave {len(outcomes)} outcomes")
        return outcomes

    def _one(self, conn: Connection, locations: GroupLocationCache, request: _Request) -> Outcome:
        if request.work is not None:
            return self._in_savepoint(conn, locations, request, request.work, request.actor)
        assert request.call is not None
        return self._running(conn, locations, request, request.call)

    def _running(self, conn: Connection, locations: GroupLocationCache, request: _Request,
                 call: Callable[[], T]) -> tuple[bool, T | Exception]:
        """`call` run as the writer's current call: each write it makes, a savepoint of its own."""
        self._here.running = _Running(conn, locations, request)
        try:
            return True, call()
        except Exception as exc:
            if conn.invalidated:
                raise TransientConflict("the database connection was lost") from exc
            return False, exc  # its writes were each rolled back to their savepoint, or kept
        finally:
            self._here.running = None

    def _in_savepoint(self, conn: Connection, locations: GroupLocationCache, request: _Request,
                      work: Callable[[SqlUnitOfWork], Any], actor: Actor) -> tuple[bool, Any]:
        uow = SqlUnitOfWork(conn, locations, actor, self._database.subscribers)
        ok, value, recorded = in_savepoint(conn, uow, work)
        request.recorded = request.recorded or recorded
        return ok, value
