"""Reading the change feed: events after a position, in the feed's order.

On PostgreSQL the feed's order is (transaction, id), and an event is shown only once
every transaction that might still write before it has ended (docs/events.md, "Commit
order"); ids are unique and grow within a transaction, but a page may hold a smaller id
after a larger one. Always resume with the id of the last event received.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from onhand.domain.errors import InvalidInput
from onhand.services.feed.recorder import EVENT_TYPES

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_EVENT_ID = 2**63 - 1


@dataclass(frozen=True)
class FeedEvent:
    id: int
    type: str
    at: datetime
    actor: str  # the actor's reference: api_key:3, cli:alice, system
    actor_name: str
    body: Mapping[str, Any]


@dataclass(frozen=True)
class EventPage:
    events: tuple[FeedEvent, ...]
    last_id: int  # pass as `after` for the next page (the `after` given when the page is empty)


def feed_event(row: Any) -> FeedEvent:
    return FeedEvent(id=int(row.id), type=row.type, at=row.at, actor=row.actor, actor_name=row.actor_name,
                     body=json.loads(row.body))


def parse_types(types: Sequence[str] | None) -> tuple[str, ...] | None:
    if not types:
        return None
    if len(types) > len(EVENT_TYPES):
        raise InvalidInput("type", f"at most {len(EVENT_TYPES)} types")
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise InvalidInput("type", f"unknown event type {unknown[0]!r}; known: {', '.join(EVENT_TYPES)}")
    return tuple(types)


def position_after(uow: UnitOfWork, after: int) -> tuple[int, int]:
    """The feed position just past the event `after` (0: the start)."""
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_EVENT_ID:
        raise InvalidInput("after", "must be an event id (0 or more)")
    if after == 0:
        return (0, 0)
    position = uow.feed.position_of(after)
    if position is None:
        raise InvalidInput("after", f"no event has id {after}")
    return position


def events_after(
    ctx: ServiceContext, *, after: int = 0, limit: int = DEFAULT_LIMIT, types: Sequence[str] | None = None
) -> EventPage:
    """Up to `limit` (1-1000) events after the event `after` (0: from the start), oldest
    first, optionally of the given types only."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be 1 to {MAX_LIMIT}")
    wanted = parse_types(types)
    with ctx.reading() as uow:
        rows = uow.feed.after(position_after(uow, after), limit, wanted)
    events = tuple(feed_event(r) for r in rows)
    return EventPage(events, events[-1].id if events else after)
