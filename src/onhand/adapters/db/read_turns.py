"""SQLite's reads in one process take turns: a few at once, the rest wait a moment.

A read on SQLite is Python and SQLite's C code by turns, all on this machine's CPU, and
Python's `sqlite3` lets go of the interpreter lock around every statement. With many threads
reading at once, every statement hands the lock to another thread and back: a one-item stock
read cost 1.0 ms of CPU from one thread and 2.1 ms from 32 at once (994 against 561 reads a
second); with two turns, 716 a second from 32 threads. Through the HTTP server (the
benchmark's H3, 32 clients): 321-406 -> 457-583 reads a second, 3.0-3.9 -> 1.9-2.4 ms of CPU
each (`benchmarks/README.md`).

A read that waits longer than `WAIT_S` for a turn goes ahead without one: long reports that
hold both turns delay the other reads by that much at most. A thread already holding a turn
does not take another (a read inside a read), and an event loop's thread never waits for one
(the key lookup a server makes there: every request on that thread would wait with it).
PostgreSQL's reads wait on the network, where more at once is what helps: they take no turns.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

TURNS = 2
WAIT_S = 0.25


class ReadTurns:
    """Turns handed over in the order they were asked for: a read that arrives as a turn comes
    free does not take it from one that has been waiting (with a semaphore, some waited until
    they gave up while later ones went first)."""

    def __init__(self, turns: int = TURNS, wait: float = WAIT_S) -> None:
        self._lock = threading.Lock()
        self._free = turns
        self._waiting: deque[threading.Event] = deque()
        self._wait = wait
        self._here = threading.local()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Inside: this thread's read, with a turn unless it waited `wait` in vain."""
        if getattr(self._here, "held", False) or getattr(_threads, "never_wait", False) or on_event_loop():
            yield
            return
        if not self._take():
            yield  # went ahead without one
            return
        self._here.held = True
        try:
            yield
        finally:
            self._here.held = False
            self._give_back()

    def _take(self) -> bool:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return True
            ticket = threading.Event()
            self._waiting.append(ticket)
        if ticket.wait(self._wait):
            return True
        with self._lock:
            if ticket.is_set():  # handed over as the wait ran out
                return True
            self._waiting.remove(ticket)
            return False

    def _give_back(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the turn goes to the longest waiting
            else:
                self._free += 1


_threads = threading.local()


def never_wait_for_turns() -> None:
    """This thread's reads take no turn: a thread others wait for (a group writer) must not
    wait behind them."""
    _threads.never_wait = True


def on_event_loop() -> bool:
    """Whether this thread is running an event loop now (code called from a coroutine)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
