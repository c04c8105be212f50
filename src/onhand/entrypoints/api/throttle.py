"""Failed authentications, limited per client address (a token bucket each).

Every failure takes a token from its address's bucket, which refills at `rate` tokens
a second up to `burst`. While the bucket is empty, requests from that address are
answered 429 (with `Retry-After`) before their key is even looked up, so guessing keys
costs time; a client that authenticates succeeds as long as it has tokens left, and
success takes none.

Buckets live in the process (one per server worker): a limit on guessing, not an
accounting of clients. Full buckets are forgotten when too many addresses are tracked.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_TRACKED = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class AuthFailureThrottle:
    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def _refilled(self, address: str, now: float) -> _Bucket:
        bucket = self._buckets.get(address)
        if bucket is None:
            return _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        return bucket

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None if it may now."""
        with self._lock:
            bucket = self._refilled(address, self._clock())
            if bucket.tokens >= 1:
                return None
            return max(1, math.ceil((1 - bucket.tokens) / self.rate))

    def failed(self, address: str) -> None:
        with self._lock:
            now = self._clock()
            bucket = self._refilled(address, now)
            bucket.tokens = max(0.0, bucket.tokens - 1)
            self._buckets[address] = bucket
            if len(self._buckets) > MAX_TRACKED:
                self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        for address in list(self._buckets):
            if self._refilled(address, now).tokens >= self.burst:
                del self._buckets[address]
