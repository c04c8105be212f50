"""The commands of webhook subscriptions (see domain/commands.py). The secret is never a
field: the service makes it, so it is neither fingerprinted nor audited."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddSubscription:
    """Send the events of `event_types` (or `*`: every type) to `url`, signed."""

    name: str
    url: str
    event_types: tuple[str, ...] = ("*",)

    def __post_init__(self) -> None:
        if isinstance(self.event_types, list):
            object.__setattr__(self, "event_types", tuple(self.event_types))


@dataclass(frozen=True)
class SetSubscriptionActive:
    """Pause (False) or resume (True) sending: a paused subscription's deliveries are still
    written, and wait; resuming makes them due now with a fresh day of retries."""

    id: int
    active: bool


@dataclass(frozen=True)
class RemoveSubscription:
    id: int


@dataclass(frozen=True)
class ResendDelivery:
    """Send a delivery again now (whatever its status), with a fresh day of retries."""

    id: int
