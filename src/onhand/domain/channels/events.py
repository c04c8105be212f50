"""What the channels area publishes (the change feed records it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeliveryReceived:
    """A channel's webhook was accepted and stored in the inbox: the worker processes it."""

    channel_id: int
    delivery_id: int
    topic: str
