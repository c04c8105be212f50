"""The calibration every single-request figure is set beside: a raw `sqlite3` loop.

One transaction per iteration, the writes of the smallest posting: insert a posting,
insert two moves, upsert two balances, commit; on a fresh SQLite file in WAL mode with
`synchronous=NORMAL`, as Onhand runs. What the database allows on this machine, this
minute: an Onhand figure is reported as a ratio to it (per CPU-second, the steadiest).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE postings (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE moves (id INTEGER PRIMARY KEY, posting_id INTEGER NOT NULL, item_id INTEGER NOT NULL,
                    from_location_id INTEGER NOT NULL, to_location_id INTEGER NOT NULL, quantity INTEGER NOT NULL);
CREATE TABLE balances (item_id INTEGER NOT NULL, location_id INTEGER NOT NULL, on_hand INTEGER NOT NULL,
                       PRIMARY KEY (item_id, location_id));
"""
_UPSERT = ("INSERT INTO balances (item_id, location_id, on_hand) VALUES (?, ?, ?) "
           "ON CONFLICT (item_id, location_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand")


@dataclass(frozen=True)
class RawLoop:
    postings: int
    wall_s: float
    cpu_s: float

    @property
    def per_cpu_second(self) -> float:
        return self.postings / self.cpu_s if self.cpu_s else 0.0

    @property
    def us_per_posting(self) -> float:
        return self.cpu_s / self.postings * 1e6

    def line(self) -> str:
        return (f"raw sqlite3 loop (posting + 2 moves + 2 balance upserts per transaction): {self.postings} in "
                f"{self.wall_s:.2f} s wall, {self.cpu_s:.2f} s CPU = {self.per_cpu_second:,.0f} per CPU-second "
                f"({self.us_per_posting:.0f} µs each)")


def raw_loop(count: int = 20_000) -> RawLoop:
    with tempfile.TemporaryDirectory(prefix="onhand-raw-") as directory:
        db = sqlite3.connect(Path(directory) / "raw.db", isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            cursor = db.cursor()
            wall, cpu = time.perf_counter(), time.process_time()
            for n in range(count):
                cursor.execute("BEGIN")
                cursor.execute("INSERT INTO postings (kind, created_at) VALUES (?, ?)", ("adjustment", "now"))
                posting = cursor.lastrowid
                item = n % 100
                cursor.execute("INSERT INTO moves (posting_id, item_id, from_location_id, to_location_id, quantity) "
                               "VALUES (?, ?, ?, ?, ?)", (posting, item, 1, 2, 1))
                cursor.execute("INSERT INTO moves (posting_id, item_id, from_location_id, to_location_id, quantity) "
                               "VALUES (?, ?, ?, ?, ?)", (posting, item, 2, 3, 1))
                cursor.execute(_UPSERT, (item, 1, -1))
                cursor.execute(_UPSERT, (item, 3, 1))
                cursor.execute("COMMIT")
            return RawLoop(count, time.perf_counter() - wall, time.process_time() - cpu)
        finally:
            db.close()
