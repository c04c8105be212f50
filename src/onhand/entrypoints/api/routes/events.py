"""The change feed (permission `read`): events after a given one, in commit order."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.entrypoints.api.auth import OnhandDep, Reader
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, MAX_INT64
from onhand.entrypoints.api.schemas.events import EventPageOut
from onhand.services.feed.events import DEFAULT_LIMIT, MAX_LIMIT

router = ApiRouter(tags=["events"], responses=ERROR_RESPONSES)


@router.get("/events", summary="Events after ?after= (an event id, 0: the start), oldest first")
def list_events(
    onhand: OnhandDep,
    _key: Reader,
    after: Annotated[int, Query(ge=0, le=MAX_INT64, description="The last event id received (0: start)")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many events")] = DEFAULT_LIMIT,
) -> EventPageOut:
    return EventPageOut.of(services.events.events_after(onhand, after=after, limit=limit))
