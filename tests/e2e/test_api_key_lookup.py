"""Where a request's API key is looked up: on SQLite on the server's event loop (one indexed
read, cheaper than a hand-off to a thread and back), on PostgreSQL in a thread (a round trip
over the network); the key's last use is still written at most once a minute, from a thread."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from onhand import services
from onhand.adapters.db.read_turns import on_event_loop
from onhand.bootstrap import Onhand
from onhand.services.key_cache import KEY_CACHE_TTL
from tests.e2e.conftest import ApiKeys


@pytest.fixture
def lookups(monkeypatch) -> list[tuple[bool, bool]]:
    """(on an event loop, recording the use) of every key lookup."""
    seen: list[tuple[bool, bool]] = []
    real = services.keys.authenticate

    def spy(ctx, secret, *, record_use=True):
        seen.append((on_event_loop(), record_use))
        return real(ctx, secret, record_use=record_use)

    monkeypatch.setattr(services.keys, "authenticate", spy)
    return seen


def test_the_key_is_looked_up_on_the_event_loop_on_sqlite_in_a_thread_on_postgresql(
    onhand: Onhand, api_viewer: httpx.Client, lookups: list[tuple[bool, bool]]
) -> None:
    assert api_viewer.get("/api/v1/items").status_code == 200  # a connection used and given back
    lookups.clear()

    assert api_viewer.get("/api/v1/items").status_code == 200

    sqlite = onhand.engine.dialect.name == "sqlite"
    assert lookups == [(True, False)] if sqlite else [(False, True)]


def test_a_lookup_on_the_event_loop_still_records_the_keys_use_once_a_minute(
    onhand: Onhand, api_viewer: httpx.Client, api_keys: ApiKeys, lookups: list[tuple[bool, bool]], clock
) -> None:
    def last_used():
        return {k.name: k.last_used_at for k in services.keys.list_api_keys(onhand)}["viewer key"]

    assert api_viewer.get("/api/v1/items").status_code == 200
    first = last_used()
    assert first is not None
    assert api_viewer.get("/api/v1/items").status_code == 200
    assert last_used() == first  # within the minute: not written again

    with onhand.writing() as uow:  # two minutes ago, as far as the key knows
        key = next(k for k in uow.api_keys.list() if k.name == "viewer key")
        uow.api_keys.record_use(key.id, first - timedelta(minutes=2), unless_since=first)
    assert last_used() == first - timedelta(minutes=2)
    clock.advance(seconds=KEY_CACHE_TTL.total_seconds())  # the server reads the key again
    assert api_viewer.get("/api/v1/items").status_code == 200
    assert last_used() >= first  # due again: written


def test_no_idle_connection_means_no_lookup_on_the_event_loop(onhand: Onhand) -> None:
    if onhand.engine.dialect.name != "sqlite":
        assert not onhand.reads_without_waiting()  # a round trip: always in a thread
        return
    onhand.engine.dispose()
    assert not onhand.reads_without_waiting()  # the pool has made none yet
    with onhand.reading():
        assert not onhand.reads_without_waiting()  # the only one is in use
    assert onhand.reads_without_waiting()
