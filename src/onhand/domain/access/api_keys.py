"""The life of an API key: expiry, rotation with an overlap, last use, the last admin.

A key is *active* from its creation until it is revoked or its `expires_at` passes.
Rotation gives the same key record a new secret; the previous secret keeps working
until the overlap ends, so a client can be redeployed with the new one without a gap.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from onhand.domain.errors import InvalidInput, LastAdminKey

DEFAULT_ROTATION_OVERLAP = timedelta(hours=24)
MAX_ROTATION_OVERLAP = timedelta(days=30)
# last_used_at is written at most this often per key: not a write per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def is_active(*, revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> bool:
    return revoked_at is None and (expires_at is None or now < expires_at)


def validate_expiry(expires_at: datetime | None, now: datetime, field: str = "expires_at") -> datetime | None:
    """A key's end: a moment with a time zone, in the future (None: it never expires)."""
    if expires_at is None:
        return None
    if expires_at.tzinfo is None:
        raise InvalidInput(field, "must carry a time zone, e.g. 2027-01-01T00:00:00Z")
    if expires_at <= now:
        raise InvalidInput(field, "must be in the future")
    return expires_at


def rotation_overlap(hours: int | None, field: str = "overlap_hours") -> timedelta:
    """How long the previous secret keeps working after a rotation (default 24 hours)."""
    if hours is None:
        return DEFAULT_ROTATION_OVERLAP
    limit = int(MAX_ROTATION_OVERLAP / timedelta(hours=1))
    if isinstance(hours, bool) or not isinstance(hours, int) or not 0 <= hours <= limit:
        raise InvalidInput(field, f"must be a whole number of hours from 0 to {limit}")
    return timedelta(hours=hours)


def previous_secret_works(until: datetime | None, now: datetime) -> bool:
    return until is not None and now < until


def last_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a request now should record the key's use (at most once a minute)."""
    return last_used_at is None or now - last_used_at >= LAST_USE_RESOLUTION


def check_admins_remain(key_id: int, active_admin_ids: Collection[int]) -> None:
    """Refuse to revoke or demote `key_id` if it is the only active admin key."""
    if key_id in active_admin_ids and len(active_admin_ids) == 1:
        raise LastAdminKey(key_id)
