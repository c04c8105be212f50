"""The `webhooks` follower: one pending delivery per (subscription, event it wants),
written in the follower's transaction, so each event is offered to each subscription once.
A subscription receives the events recorded after it was added (ids above the newest then)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from onhand.domain.webhooks.subscriptions import wants
from onhand.services.feed.followers import Batch, Follower

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

NAME = "webhooks"
PENDING = "pending"


def handle(uow: UnitOfWork, batch: Batch) -> None:
    live = [(row.id, tuple(json.loads(row.event_types)), int(row.after_event_id))
            for row in uow.webhooks.subscriptions()]  # paused ones too: their deliveries wait
    if not live:
        return
    uow.webhooks.add_deliveries(
        {"subscription_id": subscription_id, "event_id": event.id, "event_type": event.type, "status": PENDING,
         "attempts": 0, "next_attempt_at": batch.now, "window_start": batch.now, "created_at": batch.now}
        for event in batch.events
        for subscription_id, types, after in live
        if event.id > after and wants(types, event.type)
    )


FOLLOWER = Follower(NAME, handle)
