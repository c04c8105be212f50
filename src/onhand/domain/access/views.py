"""Read models of API keys: plain and immutable; a secret appears only in `NewApiKey`."""

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
