"""The commands of API keys: create, change, rotate and revoke (see domain/commands.py).

The edge reads an expiry moment (it must carry its offset) with `resolve`'s rules; roles
and names stay text and are checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CreateApiKey:
    """A new key with a role; `expires_at` (aware, in the future) ends it."""

    name: str
    role: str
    expires_at: datetime | None = None


@dataclass(frozen=True)
class UpdateApiKey:
    """Rename a key or change its role; None leaves it as it is."""

    id: int
    name: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class RotateApiKey:
    """A new secret; the previous one works `overlap_hours` more (None: the default, 24)."""

    id: int
    overlap_hours: int | None = None


@dataclass(frozen=True)
class RevokeApiKey:
    id: int
