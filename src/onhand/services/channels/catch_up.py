"""Catch-up import: the orders a channel changed since a moment (start-up, after an outage),
fetched from its API and put through the same inbox as its webhooks — so an order seen
both ways is still imported once, and an older state never overwrites a newer one."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.actors import channel_actor
from onhand.domain.channels.events import DeliveryReceived
from onhand.domain.errors import InvalidInput
from onhand.services.channels.channels import channel_record
from onhand.services.channels.inbox import process_inbox
from onhand.services.context import ServiceContext, in_transaction

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

TOPIC = "orders/updated"


def catch_up(ctx: ServiceContext, channel_name: str, *, since: datetime) -> int:
    """Fetch the channel's orders updated since `since` into the inbox and process them;
    how many deliveries were new."""
    if since.tzinfo is None:
        raise InvalidInput("since", "give a moment with its offset (e.g. 2026-03-30T00:00:00Z)")
    with ctx.reading() as uow:
        channel = channel_record(uow, channel_name)
    bodies = ctx.channel_gateways.connect(channel).orders_since(since)

    def work(uow: UnitOfWork) -> int:
        added = 0
        for body in bodies:
            # The same state of an order fetched twice is one delivery.
            event_id = "catch-up:" + hashlib.sha256(body).hexdigest()[:40]
            if uow.channels.delivery_by_event(channel.id, event_id) is not None:
                continue
            delivery_id = uow.channels.add_delivery({
                "channel_id": channel.id, "topic": TOPIC, "external_event_id": event_id, "body": body,
                "received_at": ctx.now(), "attempts": 0})
            uow.publish(DeliveryReceived(channel.id, delivery_id, TOPIC))
            added += 1
        return added

    added = in_transaction(ctx.acting_as(channel_actor(channel.name)), work)
    while process_inbox(ctx):
        pass
    return added
