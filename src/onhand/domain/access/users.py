"""User accounts: who may sign in, how a password is judged, how long a session lasts, and
when sign-ins from one client for one email are refused for a while.

Pure rules over plain values; the hashing of passwords lives in services/access/passwords.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from onhand.domain.actors import MAX_ACTOR_ID
from onhand.domain.errors import InvalidInput

MIN_PASSWORD = 10
MAX_PASSWORD = 200
MAX_USER_LOCATIONS = 100
# A session ends this long after sign-in (sign in again then).
SESSION_LIFETIME = timedelta(hours=12)
# Failed sign-ins allowed per (email, client address) within the window; past it, refused
# until the oldest failure leaves the window.
MAX_SIGN_IN_FAILURES = 5
SIGN_IN_WINDOW = timedelta(minutes=15)

# Deliberately plain: one @, something on each side, a dot in the domain, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(value: str, field: str = "email") -> str:
    """An email as stored and compared: trimmed, lower case, at most 64 characters (it is
    the actor id `user:<email>` in the audit log)."""
    email = (value or "").strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(field, "must be an email address, like ana@example.com")
    if len(email) > MAX_ACTOR_ID:
        raise InvalidInput(field, f"an email has at most {MAX_ACTOR_ID} characters")
    return email


def validate_password(value: str, field: str = "password") -> str:
    if not isinstance(value, str) or len(value) < MIN_PASSWORD:
        raise InvalidInput(field, f"must have at least {MIN_PASSWORD} characters")
    if len(value) > MAX_PASSWORD:
        raise InvalidInput(field, f"must have at most {MAX_PASSWORD} characters")
    return value


def location_limit(codes: Iterable[str] | None, field: str = "locations") -> tuple[str, ...] | None:
    """The locations a user is limited to (None or empty: every location)."""
    if codes is None:
        return None
    found = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if len(found) > MAX_USER_LOCATIONS:
        raise InvalidInput(field, f"at most {MAX_USER_LOCATIONS} locations")
    return found or None


def may_use_location(limit: tuple[str, ...] | None, site_code: str) -> bool:
    """Whether a user limited to `limit` may act at the site `site_code` (the caller passes
    a bin's site)."""
    return limit is None or site_code in limit


def throttled_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the next sign-in may be tried, given the failures within the window (None: now)."""
    recent = sorted(at for at in failures if at > now - SIGN_IN_WINDOW)
    if len(recent) < MAX_SIGN_IN_FAILURES:
        return None
    return recent[-MAX_SIGN_IN_FAILURES] + SIGN_IN_WINDOW
