"""Keys that authenticated a moment ago, so that a request need not read its key again.

Every API request authenticates, and reading the key was a fifth of a server's CPU per
write (issue 18: 0.89 -> 0.69 ms a request with the key kept for a second). A key found here
for less than `KEY_CACHE_TTL` is checked as a read one would be (the secret against its
hashes, revocation and expiry at the request's time); after that it is read again.

A change of a key (revoked, rotated, renamed, its role changed) made in this process takes
effect here at once: `forget` drops the key, and a read that began before it is not kept
(the generation it saw is gone). A change made by another process (a second server process,
the CLI) takes effect here within `KEY_CACHE_TTL`. A key that is not found is never kept, so
neither guessing nor a key made elsewhere fills or outlives the cache.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta

from onhand.domain.access.records import StoredKey

KEY_CACHE_TTL = timedelta(seconds=1)
MAX_KEYS = 4096  # past this many keys the cache starts again empty


class KeyCache:
    """Stored keys by prefix, each with the moment it was read."""

    def __init__(self, ttl: timedelta = KEY_CACHE_TTL, size: int = MAX_KEYS) -> None:
        self._ttl, self._size = ttl, size
        self._keys: dict[str, tuple[datetime, StoredKey]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        """To give `keep`: taken before the read whose key it keeps."""
        return self._generation

    def get(self, prefix: str, now: datetime) -> StoredKey | None:
        """The key of this prefix if it was read less than the TTL before `now`."""
        kept = self._keys.get(prefix)
        if kept is None:
            return None
        read_at, stored = kept
        # A clock set back does not make a key live longer.
        return stored if timedelta(0) <= now - read_at < self._ttl else None

    def keep(self, prefix: str, stored: StoredKey, read_at: datetime, generation: int) -> None:
        """Keep a key read at `read_at`, unless a key changed since `generation` was taken."""
        with self._lock:
            if generation != self._generation:
                return
            if len(self._keys) >= self._size and prefix not in self._keys:
                self._keys.clear()
            self._keys[prefix] = (read_at, stored)

    def used(self, prefix: str, at: datetime) -> None:
        """The key's last use, as recorded at `at` (so it is not seen as due again)."""
        with self._lock:
            kept = self._keys.get(prefix)
            if kept is not None:
                read_at, stored = kept
                self._keys[prefix] = (read_at, replace(stored, key=replace(stored.key, last_used_at=at)))

    def forget(self, prefix: str) -> None:
        """A key changed: read it again next time, and keep no read begun before now."""
        with self._lock:
            self._generation += 1
            self._keys.pop(prefix, None)
