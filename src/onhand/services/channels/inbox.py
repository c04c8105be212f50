"""The inbox of channels' webhooks: accept a delivery (signature checked over the raw
body, de-duplicated on the channel's event id, stored durably) and answer at once;
process the stored deliveries later, in order, through the order services.

Accepting writes nothing but the delivery (and its change-feed event): a delivery whose
signature fails, or that is malformed in its headers, leaves no trace. Processing is
idempotent per channel order id (channel_orders, and the sales order's unique
(channel, external id)), so a delivery processed twice — a crash between the order and
the mark — imports its order once; workers claim a delivery per attempt, so two of them do
not process it at the same time.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onhand.domain.actors import channel_actor
from onhand.domain.channels.channels import ExceptionKind, external_id
from onhand.domain.channels.commands import AcceptDelivery
from onhand.domain.channels.documents import ChannelOrder, ChannelRefund
from onhand.domain.channels.events import DeliveryReceived
from onhand.domain.channels.records import ChannelRecord, DeliveryRecord
from onhand.domain.errors import InvalidInput, NotFound, OnhandError, PushFailed, TransientConflict, Unauthorized
from onhand.services.channels.channels import channel_record
from onhand.services.channels.exceptions import raise_exception
from onhand.services.channels.order_import import Outcome, apply_order, apply_refund
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.joined import Joined, Spoiled

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

log = logging.getLogger("onhand.channels")
MAX_BODY = 2 * 1024 * 1024
MAX_ATTEMPTS = 8
# Deliveries applied together in one transaction: fewer commits (and writer turns on
# SQLite) in a burst of orders; few, so a webhook accepted meanwhile waits little.
GROUP = 8
_TOPIC = re.compile(r"^[a-z_]{1,30}/[a-z_]{1,30}$")


@dataclass(frozen=True)
class DeliveryAccepted:
    delivery_id: int
    duplicate: bool  # the same event was accepted before: nothing new was stored


def accept_delivery(ctx: ServiceContext, command: AcceptDelivery) -> DeliveryAccepted:
    """Store a channel's webhook if its signature holds; a repeat of its event id is a duplicate."""
    if not isinstance(command.topic, str) or not _TOPIC.match(command.topic):
        raise InvalidInput("topic", "must look like orders/create")
    event_id = external_id(command.external_event_id or "", "event_id")
    if len(command.body) > MAX_BODY:
        raise InvalidInput("body", f"must be at most {MAX_BODY} bytes")
    with ctx.reading() as uow:
        channel = channel_record(uow, command.channel)
    if not ctx.channel_gateways.connect(channel).authentic(command.body, command.signature):
        log.warning("channel %s: a delivery with a bad signature was refused", channel.name)
        raise Unauthorized("the webhook's signature does not match")

    def work(uow: UnitOfWork) -> DeliveryAccepted:
        seen = uow.channels.delivery_by_event(channel.id, event_id)
        if seen is not None:
            return DeliveryAccepted(seen, duplicate=True)
        delivery_id = uow.channels.add_delivery({
            "channel_id": channel.id, "topic": command.topic, "external_event_id": event_id,
            "body": command.body, "received_at": ctx.now(), "attempts": 0,
        })
        uow.publish(DeliveryReceived(channel.id, delivery_id, command.topic))
        return DeliveryAccepted(delivery_id, duplicate=False)

    return in_transaction(ctx.acting_as(channel_actor(channel.name)), work)


def process_inbox(ctx: ServiceContext, *, limit: int = 100) -> int:
    """Process the deliveries waiting, oldest first; how many were processed."""
    with ctx.reading() as uow:
        waiting = uow.channels.waiting_deliveries(limit=limit, max_attempts=MAX_ATTEMPTS)
        # Each channel read once (a round's hundred deliveries are mostly one shop's).
        channels = {channel_id: uow.channels.get(channel_id) for channel_id in {d.channel_id for d in waiting}}
    done = 0
    busy: set[int] = set()  # channels another worker is importing now: theirs this round
    for group in _groups(waiting):
        if group[0].channel_id in busy:
            continue
        channel = channels[group[0].channel_id]
        try:
            together = _together(ctx, channel, group) if channel is not None else None
        except _NotOurTurn:
            busy.add(group[0].channel_id)
            continue
        done += together if together is not None else sum(process_delivery(ctx, d.id) for d in group)
    return done


class _NotOurTurn(Exception):
    """Another worker holds the channel's inbox turn (PostgreSQL)."""


def _groups(deliveries: list[DeliveryRecord]) -> list[list[DeliveryRecord]]:
    """Runs of deliveries of one channel (they act as that channel), GROUP at most."""
    groups: list[list[DeliveryRecord]] = []
    for delivery in deliveries:
        if groups and groups[-1][0].channel_id == delivery.channel_id and len(groups[-1]) < GROUP:
            groups[-1].append(delivery)
        else:
            groups.append([delivery])
    return groups


def process_delivery(ctx: ServiceContext, delivery_id: int) -> bool:
    """Apply one delivery; False if it was already processed or must wait (a transient failure)."""
    with ctx.reading() as uow:
        delivery = uow.channels.delivery(delivery_id)
        if delivery is None:
            raise NotFound("channel delivery", str(delivery_id), "delivery")
        channel = uow.channels.get(delivery.channel_id)
    if delivery.processed_at is not None or channel is None:
        return False
    try:
        at_once = _together(ctx, channel, [delivery])
    except _NotOurTurn:
        return False  # another worker is importing the channel: it comes to this one
    if at_once is not None:
        return bool(at_once)
    acting = ctx.acting_as(channel_actor(channel.name))
    # Of workers that read the delivery at this attempt, one processes it; the others skip.
    if not in_transaction(acting, lambda uow: uow.channels.claim_delivery(delivery_id, delivery.attempts)):
        return False
    try:
        outcome = _apply(acting, channel, delivery)
    except (TransientConflict, PushFailed) as exc:  # try again on the next round
        reason = str(exc)[:500]
        in_transaction(acting, lambda uow: uow.channels.finish_delivery(delivery_id, at=None, error=reason))
        return False
    except OnhandError as exc:  # the delivery cannot be applied as it stands: a user looks at it
        outcome = Outcome(problems=((ExceptionKind.BAD_PAYLOAD.value, None, None, None, str(exc)),),
                          error=str(exc)[:500])
    return in_transaction(acting, lambda uow: _finish(ctx, uow, channel, delivery_id, outcome))


def _together(ctx: ServiceContext, channel: ChannelRecord, group: list[DeliveryRecord]) -> int | None:
    """The common case in one transaction for the whole group: each delivery claimed,
    applied (its order created and allocated) and marked; how many were. None when anything
    failed on the way: nothing was written, and the caller goes one delivery and one step at
    a time, where each failure is handled (a retry, an exception for a user)."""
    acting = ctx.acting_as(channel_actor(channel.name))

    def work(uow: UnitOfWork) -> int:
        if not uow.channels.inbox_turn(channel.id):
            raise _NotOurTurn  # another worker is importing this channel's deliveries
        joined = Joined(acting, uow)
        done = 0
        free = uow.channels.unclaimed([delivery.id for delivery in group])  # held here from now on
        for delivery in group:
            if delivery.id not in free or not uow.channels.claim_delivery(delivery.id, delivery.attempts):
                continue  # another worker has it, or had it
            try:
                outcome = _apply(joined, channel, delivery)
            except Exception as exc:
                raise Spoiled(str(exc)) from exc
            if joined.spoiled:  # an action failed and its failure was handled: redo step by step
                raise Spoiled("step by step")
            done += _finish(acting, uow, channel, delivery.id, outcome)
        return done

    try:
        return in_transaction(acting, work)
    except (Spoiled, TransientConflict):
        return None


def _apply(ctx: ServiceContext, channel: ChannelRecord, delivery: DeliveryRecord) -> Outcome:
    document = ctx.channel_gateways.connect(channel).document(delivery.topic, delivery.body)
    if isinstance(document, ChannelOrder):
        return apply_order(ctx, channel, document)
    if isinstance(document, ChannelRefund):
        return apply_refund(ctx, channel, document)
    return Outcome()


def _finish(ctx: ServiceContext, uow: UnitOfWork, channel: ChannelRecord, delivery_id: int,
            outcome: Outcome) -> bool:
    now = ctx.now()
    if not uow.channels.finish_delivery(delivery_id, at=now, error=outcome.error):
        return False  # another worker finished it first
    outcome.record(uow, channel.id, now)
    for kind, order_id, line_id, sku, detail in outcome.problems:
        if uow.channels.open_exception(channel.id, kind, order_id, line_id) is None:
            raise_exception(uow, channel.id, kind, detail, at=now, external_order_id=order_id,
                            external_line_id=line_id, sku=sku, delivery_id=delivery_id)
    return True
