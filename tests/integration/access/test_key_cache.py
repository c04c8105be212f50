"""A key that authenticated a moment ago is not read again; a change made in this process
takes effect at once, one made by another process within the cache's second."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.access.commands import CreateApiKey, RevokeApiKey, RotateApiKey, UpdateApiKey
from onhand.domain.errors import Unauthorized
from onhand.services.key_cache import KEY_CACHE_TTL


@contextmanager
def statements(onhand) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(onhand.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(onhand.engine, "before_cursor_execute", note)


@pytest.fixture
def other_process(database_url, clock):
    """Another Onhand on the same database: a second server process, or the CLI."""
    instance = open_onhand(database_url, clock=clock)
    yield instance
    instance.close()


def test_a_key_that_authenticated_a_moment_ago_is_not_read_again(onhand, clock) -> None:
    new = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator"))
    with statements(onhand) as seen:
        services.keys.authenticate(onhand, new.secret)
        assert len([s for s in seen if "api_keys" in s]) == 2  # read, and its first use written
        seen.clear()
        clock.advance(seconds=0.5)
        assert services.keys.authenticate(onhand.acting_as(onhand.actor), new.secret).id == new.key.id
        assert seen == []
        clock.advance(seconds=0.5)  # a second after the read: read again
        services.keys.authenticate(onhand, new.secret)
        assert len(seen) == 1 and seen[0].startswith("SELECT")


def test_a_wrong_secret_or_an_unknown_key_is_refused_cached_or_not(onhand) -> None:
    new = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator"))
    services.keys.authenticate(onhand, new.secret)
    for wrong in (new.secret[:-2] + "xx", "onh_000000000000_" + "x" * 43):
        with statements(onhand) as seen, pytest.raises(Unauthorized):
            services.keys.authenticate(onhand, wrong)
        assert len(seen) == (0 if wrong.startswith(new.secret[:17]) else 1)
    with statements(onhand) as seen, pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, "onh_000000000000_" + "x" * 43)
    assert len(seen) == 1  # a key not found is never kept


def test_a_change_made_in_this_process_takes_effect_at_once(onhand) -> None:
    admin = services.keys.create_api_key(onhand, CreateApiKey(name="admin", role="admin"))
    key = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator"))
    assert services.keys.authenticate(onhand, key.secret).role == "operator"
    services.keys.update_api_key(onhand, UpdateApiKey(id=key.key.id, role="viewer"))
    assert services.keys.authenticate(onhand, key.secret).role == "viewer"
    rotated = services.keys.rotate_api_key(onhand, RotateApiKey(id=key.key.id, overlap_hours=0))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, key.secret)
    assert services.keys.authenticate(onhand, rotated.secret).id == key.key.id
    services.keys.revoke_api_key(onhand, RevokeApiKey(id=key.key.id))
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, rotated.secret)
    assert services.keys.authenticate(onhand, admin.secret).role == "admin"


def test_a_change_made_by_another_process_takes_effect_within_the_ttl(onhand, other_process, clock) -> None:
    key = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator"))
    services.keys.authenticate(onhand, key.secret)
    services.keys.revoke_api_key(other_process, RevokeApiKey(id=key.key.id))
    with pytest.raises(Unauthorized):  # the other process itself refuses it at once
        services.keys.authenticate(other_process, key.secret)
    clock.advance(seconds=KEY_CACHE_TTL.total_seconds() / 2)
    assert services.keys.authenticate(onhand, key.secret).id == key.key.id  # still kept here
    clock.advance(seconds=KEY_CACHE_TTL.total_seconds() / 2)
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, key.secret)


def test_a_cached_key_expires_on_time(onhand, clock) -> None:
    ends = clock.current.replace(microsecond=0) + KEY_CACHE_TTL / 2
    key = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator", expires_at=ends.isoformat()))
    services.keys.authenticate(onhand, key.secret)
    clock.current = ends
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, key.secret)


def test_a_cached_keys_use_is_written_once_a_minute_not_at_every_request(onhand, clock) -> None:
    key = services.keys.create_api_key(onhand, CreateApiKey(name="k", role="operator"))
    first = clock.current
    services.keys.authenticate(onhand, key.secret)
    with statements(onhand) as seen:
        for _ in range(3):
            clock.advance(seconds=0.2)
            assert services.keys.authenticate(onhand, key.secret).last_used_at == first
        assert seen == []
    (listed,) = services.keys.list_api_keys(onhand)
    assert listed.last_used_at == first
