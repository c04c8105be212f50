"""Ports of outbound webhooks: subscriptions and deliveries (adapters/db/repositories/webhooks.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from onhand.domain.webhooks.views import PostResult


class WebhookRepository(Protocol):
    """`uow.webhooks`: subscriptions (a salt, never a secret) and one delivery per (subscription, event)."""

    def add_subscription(self, row: Mapping[str, Any]) -> int: ...

    def subscription(self, subscription_id: int) -> Any | None: ...

    def subscriptions(self) -> list[Any]: ...

    def remove_subscription(self, subscription_id: int, now: datetime) -> None: ...

    def add_deliveries(self, rows: Iterable[Mapping[str, Any]]) -> int: ...

    def delivery(self, delivery_id: int) -> Any | None: ...

    def deliveries(self, *, subscription_id: int | None, status: str | None, limit: int) -> list[Any]: ...

    def claim_due(self, now: datetime, lease_until: datetime, claim: str, limit: int) -> list[Any]: ...

    def finish(self, delivery_id: int, claim: str, values: Mapping[str, Any]) -> bool: ...

    def reset(self, delivery_id: int, values: Mapping[str, Any]) -> None: ...

    def end_pending(self, subscription_id: int, values: Mapping[str, Any]) -> None: ...


class WebhookPoster(Protocol):
    """Sends one signed delivery (adapters/webhooks/http.py); never raises for the receiver's faults."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> PostResult: ...
