"""What the webhook services return, and what a poster answers (plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    name: str
    url: str
    event_types: tuple[str, ...]  # ("*",): every type
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class NewSubscription:
    subscription: SubscriptionView
    secret: str  # shown once, at creation; never returned again


@dataclass(frozen=True)
class DeliveryView:
    id: int
    subscription_id: int
    event_id: int
    event_type: str
    status: str  # pending, delivered, failed
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None  # None once delivered or failed
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class PostResult:
    """How one POST ended: an HTTP status, or no answer (`error`: a timeout, a refused connection)."""

    status: int | None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300
