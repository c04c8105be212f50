"""The inbox of channels' webhooks: accept a delivery (signature checked over the raw
body, de-duplicated on the channel's event id, stored durably) and answer at once;
process the stored deliveries later, in order, through the order services.

Accepting writes nothing but the delivery (and its change-feed event): a delivery whose
signature fails, or that is malformed in its headers, leaves no trace. Processing is
idempotent per channel order id (channel_orders, and the sales order's unique
(channel, external id)), so a delivery processed twice — a crash between the order and
the mark — imports its order once; workers claim a delivery per attempt, so two of them do
not process it at the same time. Workers import one channel side by side: a channel
order's deliveries are applied by one transaction at a time (`inbox_turn`), in order — a
delivery another worker holds keeps its order's later ones back until a later round.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.actors import channel_actor
from onhand.domain.channels.channels import ExceptionKind, external_id
from onhand.domain.channels.commands import AcceptDelivery
from onhand.domain.channels.documents import ChannelOrder, ChannelRefund, Document
from onhand.domain.channels.events import DeliveryReceived
from onhand.domain.channels.records import ChannelRecord, DeliveryRecord
from onhand.domain.errors import InvalidInput, NotFound, OnhandError, PushFailed, TransientConflict, Unauthorized
from onhand.services.channels.channels import channel_record
from onhand.services.channels.exceptions import raise_exception
from onhand.services.channels.order_import import Allocations, Outcome, apply_order, apply_refund
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.joined import Joined, Spoiled

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork
    from onhand.services.ports.channels import ChannelGateways

log = logging.getLogger("onhand.channels")
MAX_BODY = 2 * 1024 * 1024
MAX_ATTEMPTS = 8
# Deliveries applied together in one transaction: fewer commits (and writer turns on
# SQLite) in a burst of orders; few, so a webhook accepted meanwhile waits little.
GROUP = 16
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
    round_ = _Round(ctx.channel_gateways)
    for group in _groups(waiting):
        channel = channels[group[0].channel_id]
        if channel is None:
            continue  # removed since: its deliveries stay as they are
        together = _together(ctx, channel, group, round_)
        if together is None:  # something failed: each delivery alone
            together = sum(_alone(ctx, channel, d, round_) for d in group if not round_.waits(channel, d))
        done += together
    return done


class _Round:
    """What one round of a worker knows: each delivery's document (read once), and the
    channel orders it must leave to others this round — a delivery of the order was held by
    another worker, so its later deliveries wait for the next round, in order."""

    def __init__(self, gateways: ChannelGateways) -> None:
        self.gateways = gateways
        self.documents: dict[int, Document | OnhandError] = {}
        self.busy: set[tuple[int, str]] = set()

    def document(self, channel: ChannelRecord, delivery: DeliveryRecord) -> Document:
        """The delivery's document; raises what reading it raised."""
        if delivery.id not in self.documents:
            try:
                gateway = self.gateways.connect(channel)
                self.documents[delivery.id] = gateway.document(delivery.topic, delivery.body)
            except OnhandError as exc:
                self.documents[delivery.id] = exc
        found = self.documents[delivery.id]
        if isinstance(found, OnhandError):
            raise found
        return found

    def order_of(self, channel: ChannelRecord, delivery: DeliveryRecord) -> tuple[int, str] | None:
        """(channel, order id) the delivery belongs to; None if it reads as no order's."""
        try:
            document = self.document(channel, delivery)
        except OnhandError:
            return None
        return (channel.id, document.external_order_id) if document is not None else None

    def waits(self, channel: ChannelRecord, delivery: DeliveryRecord) -> bool:
        return self.order_of(channel, delivery) in self.busy

    def leave(self, channel: ChannelRecord, delivery: DeliveryRecord) -> None:
        if (order := self.order_of(channel, delivery)) is not None:
            self.busy.add(order)


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
    """Apply one delivery; False if it was already processed, must wait (a transient
    failure), or another worker is applying its order's deliveries now."""
    with ctx.reading() as uow:
        delivery = uow.channels.delivery(delivery_id)
        if delivery is None:
            raise NotFound("channel delivery", str(delivery_id), "delivery")
        channel = uow.channels.get(delivery.channel_id)
    if delivery.processed_at is not None or channel is None:
        return False
    return _alone(ctx, channel, delivery, _Round(ctx.channel_gateways))


def _alone(ctx: ServiceContext, channel: ChannelRecord, delivery: DeliveryRecord, round_: _Round) -> bool:
    """The delivery in a transaction of its own, else one step at a time."""
    at_once = _together(ctx, channel, [delivery], round_)
    return bool(at_once) if at_once is not None else _one_by_one(ctx, channel, delivery, round_)


def _one_by_one(ctx: ServiceContext, channel: ChannelRecord, delivery: DeliveryRecord, round_: _Round) -> bool:
    """The delivery claimed, applied and marked in steps of their own, each failure handled."""
    acting = ctx.acting_as(channel_actor(channel.name))
    # Of workers that read the delivery at this attempt, one processes it; the others skip.
    if not in_transaction(acting, lambda uow: uow.channels.claim_delivery(delivery.id, delivery.attempts)):
        round_.leave(channel, delivery)
        return False
    try:
        outcome = _apply(acting, channel, delivery, round_)
    except (TransientConflict, PushFailed) as exc:  # try again on the next round
        round_.leave(channel, delivery)
        reason = str(exc)[:500]
        in_transaction(acting, lambda uow: uow.channels.finish_delivery(delivery.id, at=None, error=reason))
        return False
    except OnhandError as exc:  # the delivery cannot be applied as it stands: a user looks at it
        outcome = Outcome(problems=((ExceptionKind.BAD_PAYLOAD.value, None, None, None, str(exc)),),
                          error=str(exc)[:500])
    return in_transaction(acting, lambda uow: _finish(ctx, uow, channel, delivery.id, outcome))


def _together(ctx: ServiceContext, channel: ChannelRecord, group: list[DeliveryRecord], round_: _Round) -> int | None:
    """The common case in one transaction for the whole group: each delivery claimed,
    applied (its order created; the new orders allocated together) and marked; how many
    were. A delivery whose order another worker is applying now is left, with its order's
    later ones. None when anything failed on the way: nothing was written, and the caller
    goes one delivery and one step at a time, where each failure is handled (a retry, an
    exception for a user)."""
    acting = ctx.acting_as(channel_actor(channel.name))

    def work(uow: UnitOfWork) -> int:
        joined = Joined(acting, uow)
        later = Allocations(joined)
        now = ctx.now()
        finished: list[tuple[int, datetime, str | None]] = []
        # Held here from now on (claimed: the attempt is counted when it is marked below);
        # one another worker holds, has done or has tried since the round read it is left.
        free = uow.channels.unclaimed([d.id for d in group if not round_.waits(channel, d)])
        for delivery in group:
            order = round_.order_of(channel, delivery)
            if order in round_.busy:
                continue
            if free.get(delivery.id) != delivery.attempts \
                    or (order is not None and not uow.channels.inbox_turn(*order)):
                round_.leave(channel, delivery)
                continue
            try:
                outcome = _apply(joined, channel, delivery, round_, later)
            except Exception as exc:
                raise Spoiled(str(exc)) from exc
            if joined.spoiled:  # an action failed and its failure was handled: redo step by step
                raise Spoiled("step by step")
            _record(uow, channel, delivery.id, outcome, now, applied_here=True)
            finished.append((delivery.id, now, outcome.error))
        try:
            later.flush()
        except Exception as exc:
            raise Spoiled(str(exc)) from exc
        if uow.channels.finish_held(finished) != len(finished):
            raise TransientConflict("a delivery held by this transaction was marked by another")
        return len(finished)

    try:
        return in_transaction(acting, work)
    except (Spoiled, TransientConflict) as exc:
        log.info("channel %s: %d deliveries go one by one: %s", channel.name, len(group), str(exc)[:200])
        return None


def _apply(ctx: ServiceContext, channel: ChannelRecord, delivery: DeliveryRecord, round_: _Round,
           later: Allocations | None = None) -> Outcome:
    document = round_.document(channel, delivery)
    if isinstance(document, ChannelOrder):
        return apply_order(ctx, channel, document, later)
    if later is not None:
        later.flush()  # the orders before it first: a refund brings stock back
    if isinstance(document, ChannelRefund):
        return apply_refund(ctx, channel, document)
    return Outcome()


def _finish(ctx: ServiceContext, uow: UnitOfWork, channel: ChannelRecord, delivery_id: int,
            outcome: Outcome) -> bool:
    now = ctx.now()
    if not uow.channels.finish_delivery(delivery_id, at=now, error=outcome.error):
        return False  # another worker finished it first
    _record(uow, channel, delivery_id, outcome, now, applied_here=False)
    return True


def _record(uow: UnitOfWork, channel: ChannelRecord, delivery_id: int, outcome: Outcome, now: datetime, *,
            applied_here: bool) -> None:
    """What the delivery imported, and the exceptions it raised (each listed once)."""
    outcome.record(uow, channel.id, now, applied_here=applied_here)
    for kind, order_id, line_id, sku, detail in outcome.problems:
        if uow.channels.open_exception(channel.id, kind, order_id, line_id) is None:
            raise_exception(uow, channel.id, kind, detail, at=now, external_order_id=order_id,
                            external_line_id=line_id, sku=sku, delivery_id=delivery_id)
