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
does not take another (a read inside a read). PostgreSQL's reads wait on the network, where more at once is what helps:
they take no turns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

TURNS = 2
WAIT_S = 0.25


class ReadTurns:
    def __init__(self, turns: int = TURNS, wait: float = WAIT_S) -> None:
        self._turns = threading.BoundedSemaphore(turns)
        self._wait = wait
        self._here = threading.local()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Inside: this thread's read, with a turn unless it waited `wait` in vain."""
        if getattr(self._here, "held", False):
            yield
            return
        if not self._turns.acquire(timeout=self._wait):
            yield  # went ahead without one
            return
        self._here.held = True
        try:
            yield
        finally:
            self._here.held = False
            self._turns.release()
