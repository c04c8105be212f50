"""Wake-ups from other processes' commits to the change feed (PostgreSQL's LISTEN/NOTIFY).

Migration 0037 makes every transaction that appends events notify `onhand_feed` with its
schema when it commits. A worker listens on a connection of its own, in a thread, and each
notification for its schema calls `on_signal` (which ends the worker's wait between
rounds). A notification is only a hint: while the connection is down the worker still polls
every `poll` seconds, so nothing is missed, only noticed later; the listener reconnects.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

CHANNEL = "onhand_feed"
RECONNECT_SECONDS = 1.0
log = logging.getLogger("onhand.worker")


class FeedSignals:
    def __init__(self, engine: Engine, on_signal: Callable[[], None]) -> None:
        self._engine = engine
        self._on_signal = on_signal
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.listening = threading.Event()  # set while a connection listens (tests wait on it)

    def start(self) -> None:
        """Listen from now on (once; again after `stop` has no effect)."""
        with self._lock:
            if self._thread is None and not self._stopping.is_set():
                self._thread = threading.Thread(target=self._run, name="onhand-feed-signals", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * RECONNECT_SECONDS)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception:  # a lost connection, a server restart: poll meanwhile, then again
                log.warning("listening for feed notifications failed; retrying", exc_info=True)
            self.listening.clear()
            self._stopping.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        # A connection of the engine's (its URL, search path and connect settings), never given
        # back to the pool: it leaves autocommit on.
        pooled = self._engine.raw_connection()
        try:
            conn: Any = pooled.driver_connection
            conn.autocommit = True
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            while not self._stopping.is_set():
                # Back every second to see whether to stop.
                for notice in conn.notifies(timeout=1.0):
                    if notice.payload == schema:
                        self._on_signal()
        finally:
            pooled.invalidate()
