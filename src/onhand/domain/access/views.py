"""Read models of API keys, users and web sessions: plain and immutable; a secret appears only
in `NewApiKey` and `NewSession`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ApiKeyView:
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None
    last_used_at: datetime | None = None  # to the minute (domain/access/api_keys.py)
    rotated_at: datetime | None = None
    # After a rotation, the previous secret works until then.
    previous_secret_expires_at: datetime | None = None


@dataclass(frozen=True)
class NewApiKey:
    """Returned once, at creation or rotation: the only time the secret exists outside the caller."""

    key: ApiKeyView
    secret: str


@dataclass(frozen=True)
class UserView:
    """A user account (never its password hash)."""

    id: int
    email: str
    name: str
    role: str
    locations: tuple[str, ...] | None  # None: every location
    created_at: datetime
    disabled_at: datetime | None


@dataclass(frozen=True)
class SessionView:
    """A signed-in web session: whose it is and the CSRF token its forms carry."""

    user: UserView
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class NewSession:
    """Returned once, at sign-in: the cookie's token exists only here and in the cookie."""

    session: SessionView
    token: str
