"""Fixtures shared by every layer of tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onhand import bootstrap
from onhand.bootstrap import Onhand, open_onhand
from tests import hypothesis_profiles  # noqa: F401  (registers and loads the profiles)
from tests.databases import BACKENDS, empty_database, fresh_database, is_kept, kept_engine


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture(scope="session", autouse=True)
def webhook_key() -> Iterator[None]:
    """A webhook key for every test: none reads or makes the user's key file (docs/webhooks.md)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ONHAND_WEBHOOK_KEY", os.environ.get("ONHAND_WEBHOOK_KEY") or "test-suite-webhook-key-" + "0" * 16)
        yield


@pytest.fixture(scope="session", autouse=True)
def password_cost() -> Iterator[None]:
    """scrypt at N = 2^10 for the suite's passwords (a millisecond, not a tenth of a second per
    user added and sign-in: 700 of them); the default and its floor in production are tested
    in test_settings.py. ONHAND_PASSWORD_COST set outside the suite wins."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ONHAND_PASSWORD_COST", os.environ.get("ONHAND_PASSWORD_COST") or "10")
        yield


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def _close(onhand: Onhand) -> None:
    """`Onhand.close`, but a kept engine keeps its connections: a CLI test opens and closes
    Onhand in every command, and each command connected again (on PostgreSQL a new server
    process). Handing the database out again closes them (tests/databases.py)."""
    if not is_kept(onhand.engine):
        onhand.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def kept_engines() -> Iterator[None]:
    """One engine per test database for the whole process (tests/databases.py, "Engines")."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bootstrap, "make_engine", kept_engine)
        patch.setattr(Onhand, "close", _close)
        yield


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database holding only what the migrations put there (a clone)."""
    with fresh_database(request.param) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, for tests whose subject is migrating one."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def onhand(database_url: str, clock: Clock) -> Iterator[Onhand]:
    instance = open_onhand(database_url, clock=clock)
    yield instance
    instance.close()
