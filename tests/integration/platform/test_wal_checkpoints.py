"""SQLite's WAL checkpoints in a thread of their own while a server runs
(adapters/db/wal_checkpoints.py): commits leave them to it up to a backstop, the WAL is
copied back into the database file and stays bounded, and when they stop the connections
checkpoint for themselves again."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from onhand import services
from onhand.adapters.db.wal_checkpoints import BACKSTOP_PAGES, DEFAULT_PAGES, WalCheckpoints
from onhand.bootstrap import open_onhand, serving
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, level

PAGE = 4096  # SQLite's default page size, which Onhand keeps


def _autocheckpoint(onhand) -> int:
    with onhand.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


def _write(onhand, count: int) -> None:
    for n in range(count):
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location="NY", reason="found", lines=[StockLine("W-1", Decimal(1))], reference=f"R-{n}"))


@pytest.fixture
def on_a_file(tmp_path):
    onhand = open_onhand(f"sqlite:///{tmp_path / 'onhand.db'}")
    add_place(onhand, "NY")
    add_item(onhand, "W-1")
    yield onhand, Path(f"{tmp_path / 'onhand.db'}-wal")
    onhand.close()


def test_commits_leave_checkpoints_to_the_thread(on_a_file) -> None:
    onhand, wal = on_a_file
    checkpoints = WalCheckpoints(onhand.engine, interval=3600).start()  # only the last one, at close
    try:
        assert _autocheckpoint(onhand) == BACKSTOP_PAGES
        _write(onhand, 150)
        # No commit checkpointed: the WAL grew past where one would have, by SQLite's default.
        assert wal.stat().st_size > 1.5 * DEFAULT_PAGES * PAGE
        assert checkpoints.copied == 0
    finally:
        checkpoints.close()
    assert checkpoints.copied > DEFAULT_PAGES  # the last one copied it all back
    assert _autocheckpoint(onhand) == DEFAULT_PAGES  # the connections checkpoint for themselves again
    assert level(onhand, "W-1", "NY")[0] == Decimal(150)


def test_under_a_steady_stream_of_writes_the_wal_stays_bounded(on_a_file) -> None:
    onhand, wal = on_a_file
    checkpoints = WalCheckpoints(onhand.engine, interval=0.02).start()
    try:
        _write(onhand, 600)  # about twice the backstop's pages, with no pause for the WAL to start over
        assert checkpoints.copied > 0
        # It starts over after the backstop's checkpoint in a commit, never after the thread's.
        assert wal.stat().st_size < 1.25 * BACKSTOP_PAGES * PAGE
    finally:
        checkpoints.close()
    assert level(onhand, "W-1", "NY")[0] == Decimal(600)


def test_a_server_on_sqlite_runs_them(tmp_path, onhand) -> None:
    served = open_onhand(f"sqlite:///{tmp_path / 'served.db'}")
    try:
        with serving(served):
            assert _autocheckpoint(served) == BACKSTOP_PAGES
        assert _autocheckpoint(served) == DEFAULT_PAGES
    finally:
        served.close()
    with serving(onhand):  # the suite's database: a SQLite file, or PostgreSQL (none there)
        if onhand.engine.dialect.name == "sqlite":
            assert _autocheckpoint(onhand) == BACKSTOP_PAGES
    with pytest.raises(ValueError, match="SQLite database file"):
        WalCheckpoints(open_onhand("sqlite://").engine)
