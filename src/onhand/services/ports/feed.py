"""Ports of the change feed: events, followers' positions, and what the `availability`
follower keeps (adapters/db/repositories/feed.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

# (tx, id) of an event: a position in the feed. (0, 0) is before the first event.
Position = tuple[int, int]


class FeedRepository(Protocol):
    """`uow.feed`: the change feed: events recorded in this transaction (written at flush), read in commit order."""

    def record(self, row: dict[str, Any]) -> None: ...

    def flush(self) -> bool: ...

    def after(self, position: Position, limit: int, types: Sequence[str] | None = None) -> list[Any]: ...

    def position_of(self, event_id: int) -> Position | None: ...

    def count_after(self, position: Position) -> int: ...

    def newest_tx(self) -> int: ...

    def visible_through(self, tx: int) -> bool: ...

    def bodies_since(self, at: datetime, types: Sequence[str]) -> list[tuple[str, Any]]: ...


class FollowerRepository(Protocol):
    """`uow.followers`: followers' positions, claimed one process at a time."""

    def claim(self, name: str, now: datetime) -> tuple[Position, int] | None: ...

    def advance(self, name: str, position: Position, handled: int, now: datetime) -> None: ...

    def all(self) -> list[Any]: ...


class AvailabilityRepository(Protocol):
    """`uow.availability`: the available quantity per (item, location) the `availability` follower keeps."""

    def put(self, rows: Iterable[dict[str, Any]]) -> None: ...

    def changed_since(self, version: int, limit: int, item_ids: Sequence[int] | None = None) -> list[Any]: ...

    def pairs_at(self, location_ids: Sequence[int]) -> list[tuple[int, int]]: ...

    def pairs_of_lot(self, lot_id: int) -> list[tuple[int, int]]: ...

    def of(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Decimal]: ...
