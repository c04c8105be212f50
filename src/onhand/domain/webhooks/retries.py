"""When a failed delivery is tried again: exponential backoff with jitter, for a day.

Attempt n (1 = the first) that failed is followed, after `BASE * 2**(n-1)` capped at
`CAP`, by the next one; the wait is scaled by a random factor in [0.5, 1) (so that
receivers coming back after an outage are not hit by every delivery at once). Once a
day has passed since the delivery was first due (or re-sent), it is failed for good.
"""

from __future__ import annotations

from datetime import datetime, timedelta

BASE = timedelta(seconds=30)
CAP = timedelta(hours=1)
RETRY_WINDOW = timedelta(hours=24)


def backoff(attempts: int, jitter: float) -> timedelta:
    """The wait after `attempts` failed attempts; `jitter` in [0, 1) picks within [half, whole)."""
    if attempts < 1:
        raise ValueError("attempts starts at 1")
    wait = min(CAP, BASE * 2 ** min(attempts - 1, 20))
    return wait * (0.5 + 0.5 * min(max(jitter, 0.0), 1.0))


def next_attempt(attempts: int, window_start: datetime, now: datetime, jitter: float) -> datetime | None:
    """When to try after `attempts` failures; None: the day is over, give up."""
    due = now + backoff(attempts, jitter)
    if due - window_start > RETRY_WINDOW:
        return None
    return due
