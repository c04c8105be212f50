"""`onhand journal run-nightly`: posts the days that are over and pushes them to Xero (a local
stand-in), once; a refused push exits 7 with a clear message and no secret."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from onhand.bootstrap import Onhand, open_onhand
from tests.conftest import Clock
from tests.e2e.test_journal_push_entrypoints import _posted_day
from tests.xero_stand_in import TENANT, TOKEN, StandInXero, stand_in_xero


@pytest.fixture
def yesterday() -> Clock:
    """Yesterday (the CLI's clock is the real one)."""
    return Clock(datetime.now(UTC).replace(hour=12, minute=0) - timedelta(days=1))


@pytest.fixture
def onhand(database_url: str, yesterday: Clock, monkeypatch) -> Iterator[Onhand]:
    with stand_in_xero() as url:
        for name, value in {"ONHAND_XERO_TENANT_ID": TENANT, "ONHAND_XERO_ACCESS_TOKEN": TOKEN,
                            "ONHAND_XERO_API_URL": url}.items():
            monkeypatch.setenv(name, value)
        instance = open_onhand(database_url, clock=yesterday)
        yield instance
        instance.close()


def test_the_nightly_run_posts_and_pushes_once_and_a_refusal_exits_7(onhand: Onhand, yesterday, cli_run) -> None:
    day = yesterday().date().isoformat()
    _posted_day(onhand, Clock(yesterday.current))  # received yesterday
    StandInXero.refuse = True
    refused = cli_run("journal", "run-nightly")
    assert refused.exit_code == 7, refused.stderr
    assert f"Posted 1 day(s): {day}" in refused.stdout
    assert f"error: the journal of {day} was not sent to xero: Xero refused" in refused.stderr
    assert TOKEN not in refused.stdout + refused.stderr
    StandInXero.refuse = False
    ran = cli_run("journal", "run-nightly")
    assert ran.exit_code == 0, ran.stderr
    assert "Posted 0 day(s): none" in ran.stdout and f"Sent the journal of {day} to xero" in ran.stdout
    again = cli_run("journal", "run-nightly")
    assert again.exit_code == 0 and "Nothing to push to xero" in again.stdout and len(StandInXero.journals) == 1
