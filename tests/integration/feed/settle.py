"""Waiting for the feed to settle on PostgreSQL.

A reader sees an event once every transaction older than it has ended — on the whole
server (xids are cluster-wide), so another test process's open transaction delays what a
test reads right after its own commit. `settle` waits until every stored event is visible.
"""

from __future__ import annotations

import time

from sqlalchemy import text

_STORED = text("SELECT coalesce(max(tx), 0) FROM events")
_HORIZON = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


def settle(onhand, timeout: float = 60.0) -> None:
    if onhand.engine.dialect.name != "postgresql":
        return  # SQLite: committed is visible
    deadline = time.monotonic() + timeout
    with onhand.engine.connect() as conn:
        newest = conn.execute(_STORED).scalar_one()
        conn.rollback()
        while conn.execute(_HORIZON).scalar_one() <= newest:
            conn.rollback()
            if time.monotonic() > deadline:
                raise AssertionError("the feed did not settle: a transaction stayed open")
            time.sleep(0.01)
        conn.rollback()
