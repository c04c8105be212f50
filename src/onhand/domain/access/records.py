"""What the API key repository gives the services: records that never leave the services."""

from __future__ import annotations

from dataclasses import dataclass

from onhand.domain.access.views import ApiKeyView


@dataclass(frozen=True)
class StoredKey:
    """A key with the hashes its secrets are checked against (never leaves the services)."""

    key: ApiKeyView
    secret_hash: str
    previous_secret_hash: str | None
