"""What the access repositories give the services: records that never leave the services."""

from __future__ import annotations

from dataclasses import dataclass

from onhand.domain.access.views import ApiKeyView, UserView


@dataclass(frozen=True)
class StoredKey:
    """A key with the hashes its secrets are checked against (never leaves the services)."""

    key: ApiKeyView
    secret_hash: str
    previous_secret_hash: str | None


@dataclass(frozen=True)
class StoredUser:
    """A user with the hash a password is checked against (never leaves the services)."""

    user: UserView
    password_hash: str
