"""Ports of a channel's pulls and pushes: its cursors and its quantity outbox."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol


class ChannelSyncRepository(Protocol):
    """`uow.channel_sync` (adapters/db/repositories/channel_sync.py)."""

    def cursor(self, channel_id: int, name: str) -> str | None: ...

    def set_cursor(self, channel_id: int, name: str, value: str, now: datetime) -> None: ...

    def want(self, channel_id: int, item_id: int, external_location_id: str, quantity: Decimal,
             now: datetime) -> None: ...

    def due(self, channel_id: int, now: datetime, limit: int) -> list[Any]: ...

    def pushes(self, channel_id: int) -> list[Any]: ...

    def sent(self, push_id: int, version: int, quantity: Decimal, now: datetime) -> None: ...

    def failed(self, push_id: int, *, attempts: int, next_attempt_at: datetime, error: str, now: datetime) -> None: ...
