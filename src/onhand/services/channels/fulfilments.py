"""Fulfilment back: a shipment of an imported order becomes a fulfilment in its channel,
with the package's carrier and tracking number.

The `channel-fulfilment` follower reads `posting.written` shipments from the change feed
and writes one outbox row per shipment (in its own transaction); `send_fulfilments` sends
them after commit. Shopify fulfils at most what each fulfillment order still has to ship,
so a retry after a lost answer fulfils nothing twice.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING

from onhand.domain.channels.documents import FulfilmentLine, FulfilmentToCreate
from onhand.domain.errors import PushFailed
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.feed.followers import Batch, Follower

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

NAME = "channel-fulfilment"
BATCH = 50
MAX_BACKOFF_SECONDS = 3600


def handle(uow: UnitOfWork, batch: Batch) -> None:
    for event in batch.events:
        if event.type != "posting.written" or event.body.get("kind") != "shipment":
            continue
        reference = event.body.get("reference")
        order_id = uow.orders.id_by_reference(reference) if reference else None
        link = uow.channels.order_link(int(order_id)) if order_id is not None else None
        if link is None:
            continue  # not an order a channel sent
        channel_id, external_order_id, channel_order_id = link
        lines = {row.line_no: row.external_line_id for row in uow.channels.order_lines(channel_order_id)
                 if row.line_no is not None}
        for shipment in uow.shipments.for_order(int(order_id)):
            if shipment.posting_id != event.body["posting_id"]:
                continue
            shipped: dict[str, int] = {}
            for line in shipment.lines:
                if line.line_no in lines:
                    shipped[lines[line.line_no]] = shipped.get(lines[line.line_no], 0) + int(line.quantity)
            package = next((p for p in uow.shipments.packages_for_order(int(order_id))
                            if p.shipment_id == shipment.id), None)
            if not shipped:
                continue
            uow.channels.add_fulfilment({
                "channel_id": channel_id, "order_id": int(order_id), "shipment_key": f"shipment:{shipment.id}",
                "external_order_id": external_order_id, "attempts": 0, "created_at": batch.now,
                "body": json.dumps({"lines": sorted(shipped.items()),
                                    "carrier": package.carrier if package else None,
                                    "tracking_number": package.tracking_number if package else None}),
            })


FOLLOWER = Follower(NAME, handle)


def send_fulfilments(ctx: ServiceContext) -> int:
    """Create the due fulfilments in their channels; how many were created."""
    now = ctx.now()
    with ctx.reading() as uow:
        due = uow.channels.due_fulfilments(now=now, limit=BATCH)
        channels = {c.id: c for c in uow.channels.all()}
    sent = 0
    for row in due:
        body = json.loads(row.body)
        request = FulfilmentToCreate(
            external_order_id=row.external_order_id,
            lines=tuple(FulfilmentLine(line_id, quantity) for line_id, quantity in body["lines"]),
            carrier=body.get("carrier"), tracking_number=body.get("tracking_number"))
        try:
            made = ctx.channel_gateways.connect(channels[row.channel_id]).fulfil(request)
        except PushFailed as exc:
            wait = timedelta(seconds=min(2 ** (row.attempts + 1), MAX_BACKOFF_SECONDS))
            reason = str(exc)[:500]
            in_transaction(ctx, lambda uow, r=row, w=wait, e=reason: uow.channels.fulfilment_failed(
                r.id, retry_at=now + w, error=e))
            continue
        in_transaction(ctx, lambda uow, r=row, m=made: uow.channels.fulfilment_sent(r.id, external_id=m, now=now))
        sent += 1
    return sent
