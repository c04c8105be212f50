"""The change feed as JSON (docs/events.md lists every type and its body)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from onhand.entrypoints.api.schemas.common import ResponseModel
from onhand.services.feed.events import EventPage, FeedEvent


class EventOut(ResponseModel):
    id: int = Field(description="Unique; pass the last one received as ?after= to read on")
    type: str = Field(examples=["posting.written"])
    at: datetime
    actor: str = Field(description="Who made the change: api_key:3, cli:alice, system", examples=["api_key:3"])
    actor_name: str
    body: dict[str, Any] = Field(description="The type's fields (docs/events.md)")

    @classmethod
    def of(cls, event: FeedEvent) -> EventOut:
        return cls(id=event.id, type=event.type, at=event.at, actor=event.actor, actor_name=event.actor_name,
                   body=dict(event.body))


class EventPageOut(ResponseModel):
    events: list[EventOut] = Field(description="Oldest first, in commit order")
    last_id: int = Field(description="Pass as ?after= for the next page (the same as given when empty)")

    @classmethod
    def of(cls, page: EventPage) -> EventPageOut:
        return cls(events=[EventOut.of(e) for e in page.events], last_id=page.last_id)
