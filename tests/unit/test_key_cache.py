"""The cache of keys that authenticated a moment ago: how long a key is kept, and which reads
are not kept (services/key_cache.py)."""

from datetime import UTC, datetime, timedelta

from onhand.domain.access.records import StoredKey
from onhand.domain.access.views import ApiKeyView
from onhand.services.key_cache import KeyCache

AT = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def stored(prefix: str = "a1b2c3", role: str = "operator") -> StoredKey:
    view = ApiKeyView(id=1, name="k", role=role, prefix=prefix, created_at=AT, revoked_at=None)
    return StoredKey(view, "0" * 64, None)


def test_a_key_is_kept_for_the_ttl_from_its_read_and_no_longer() -> None:
    cache, key = KeyCache(ttl=timedelta(seconds=1)), stored()
    cache.keep("a1b2c3", key, AT, cache.generation)
    assert cache.get("a1b2c3", AT) is key
    assert cache.get("a1b2c3", AT + timedelta(milliseconds=999)) is key
    assert cache.get("a1b2c3", AT + timedelta(seconds=1)) is None
    assert cache.get("other", AT) is None


def test_a_clock_set_back_does_not_keep_a_key_longer() -> None:
    cache = KeyCache(ttl=timedelta(seconds=1))
    cache.keep("a1b2c3", stored(), AT, cache.generation)
    assert cache.get("a1b2c3", AT - timedelta(seconds=5)) is None


def test_a_forgotten_key_is_read_again_and_a_read_begun_before_is_not_kept() -> None:
    cache = KeyCache()
    cache.keep("a1b2c3", stored(), AT, cache.generation)
    before = cache.generation  # a request starts reading the key...
    cache.forget("a1b2c3")  # ...while another changes it
    assert cache.get("a1b2c3", AT) is None
    cache.keep("a1b2c3", stored(role="viewer"), AT, before)
    assert cache.get("a1b2c3", AT) is None
    cache.keep("a1b2c3", stored(role="viewer"), AT, cache.generation)
    assert cache.get("a1b2c3", AT).key.role == "viewer"


def test_a_recorded_use_is_kept_with_the_key() -> None:
    cache = KeyCache()
    cache.keep("a1b2c3", stored(), AT, cache.generation)
    cache.used("a1b2c3", AT + timedelta(seconds=0.5))
    cache.used("unknown", AT)  # nothing kept: nothing to change
    assert cache.get("a1b2c3", AT).key.last_used_at == AT + timedelta(seconds=0.5)
    assert cache.get("unknown", AT) is None


def test_the_cache_starts_again_empty_when_full() -> None:
    cache = KeyCache(size=2)
    for prefix in ("a", "b"):
        cache.keep(prefix, stored(prefix), AT, cache.generation)
    cache.keep("a", stored("a"), AT, cache.generation)  # one already kept: still room
    assert cache.get("b", AT) is not None
    cache.keep("c", stored("c"), AT, cache.generation)
    assert [cache.get(p, AT) is not None for p in ("a", "b", "c")] == [False, False, True]
