"""The change feed's recorder: in-transaction subscribers that turn what the areas
publish into events (`uow.feed.record`), written just before the transaction commits.

Every event type and its body is listed in docs/events.md; a body holds ids and small
values only, its fields stable (new fields may be added, none renamed or removed).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.assemblies.events import BuildStatusChanged
from onhand.domain.catalog.events import ItemChanged, LocationChanged, LotStatusChanged, SellablePlacesChanged
from onhand.domain.channels.events import DeliveryReceived
from onhand.domain.ledger.events import PostingsWritten
from onhand.domain.ledger.postings import BalanceKey
from onhand.domain.orders.events import OrderStatusChanged, ReservationMade, ReservationReleased
from onhand.domain.planning.events import AlertCleared, AlertRaised
from onhand.domain.purchasing.events import PurchaseOrderStatusChanged
from onhand.domain.quantities import plain
from onhand.domain.transfers.events import TransferStatusChanged

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def record(uow: UnitOfWork, kind: str, body: Mapping[str, Any], at: datetime | None = None) -> None:
    actor = uow.actor
    uow.feed.record({
        "type": kind, "at": at or datetime.now(UTC), "actor": actor.reference, "actor_name": actor.name,
        "body": json.dumps(body, separators=(",", ":"), sort_keys=True),
    })


def _key(key: BalanceKey) -> dict[str, int | None]:
    return {"item_id": key[0], "location_id": key[1], "lot_id": key[2] or None}


def _quantity(value: Decimal) -> str:
    return str(plain(value))


def on_postings_written(uow: UnitOfWork, event: PostingsWritten) -> None:
    """One `posting.written` per posting, with every balance whose quantity it changed."""
    for written in event.postings:
        keys: set[BalanceKey] = set()
        for move in written.draft.moves:
            lot = move.lot.id if move.lot is not None else 0
            keys.add((move.item.id, move.source.id, lot))
            keys.add((move.item.id, move.destination.id, lot))
        record(uow, "posting.written", {
            "posting_id": written.posting_id, "kind": written.draft.kind.value,
            "reference": written.draft.reference, "balances": [_key(k) for k in sorted(keys)],
        }, event.now)


def on_reservation_made(uow: UnitOfWork, event: ReservationMade) -> None:
    record(uow, "reservation.made", {
        "order_line_id": event.order_line_id, **_key(event.key), "quantity": _quantity(event.quantity)})


def on_reservation_released(uow: UnitOfWork, event: ReservationReleased) -> None:
    record(uow, "reservation.released", {
        "order_line_id": event.order_line_id, **_key(event.key), "quantity": _quantity(event.quantity),
        "shipped": event.shipped})


def on_lot_status_changed(uow: UnitOfWork, event: LotStatusChanged) -> None:
    if event.status is event.lot.status:
        return  # set to what it was: nothing changed
    record(uow, "lot.status_changed", {
        "lot_id": event.lot.id, "item_id": event.lot.item_id, "code": event.lot.code,
        "status": event.status.value, "previous": event.lot.status.value}, event.now)


def on_sellable_places_changed(uow: UnitOfWork, event: SellablePlacesChanged) -> None:
    for location_id in event.closed:
        record(uow, "location.sellable_changed", {"location_id": location_id, "sellable": False}, event.now)
    for location_id in event.opened:
        record(uow, "location.sellable_changed", {"location_id": location_id, "sellable": True}, event.now)


def on_item_changed(uow: UnitOfWork, event: ItemChanged) -> None:
    record(uow, "item.created" if event.created else "item.changed", {"item_id": event.item_id, "sku": event.sku})


def on_location_changed(uow: UnitOfWork, event: LocationChanged) -> None:
    record(uow, "location.created" if event.created else "location.changed",
           {"location_id": event.location_id, "code": event.code})


def on_order_status_changed(uow: UnitOfWork, event: OrderStatusChanged) -> None:
    record(uow, "order.status_changed", {"order_id": event.order_id, "status": event.status,
                                         "previous": event.previous})


def on_transfer_status_changed(uow: UnitOfWork, event: TransferStatusChanged) -> None:
    record(uow, "transfer.status_changed", {"transfer_id": event.transfer_id, "status": event.status,
                                            "previous": event.previous})


def on_purchase_order_status_changed(uow: UnitOfWork, event: PurchaseOrderStatusChanged) -> None:
    record(uow, "purchase_order.status_changed", {"purchase_order_id": event.order_id, "status": event.status,
                                                  "previous": event.previous})


def on_build_status_changed(uow: UnitOfWork, event: BuildStatusChanged) -> None:
    record(uow, "build.status_changed", {"build_id": event.build_id, "status": event.status,
                                         "previous": event.previous})


def on_delivery_received(uow: UnitOfWork, event: DeliveryReceived) -> None:
    record(uow, "channel.delivery_received", {"channel_id": event.channel_id, "delivery_id": event.delivery_id,
                                              "topic": event.topic})


def on_alert_raised(uow: UnitOfWork, event: AlertRaised) -> None:
    record(uow, "alert.raised", {
        "key": event.key, "kind": event.kind, "item_id": event.item_id, "location_id": event.location_id,
        "lot_id": event.lot_id, "quantity": _quantity(event.quantity), "message": event.message})


def on_alert_cleared(uow: UnitOfWork, event: AlertCleared) -> None:
    record(uow, "alert.cleared", {
        "key": event.key, "kind": event.kind, "item_id": event.item_id, "location_id": event.location_id,
        "lot_id": event.lot_id})


# The recorder's subscriptions, for the composition root (each called after the area's own).
SUBSCRIPTIONS: dict[type, Any] = {
    PostingsWritten: on_postings_written,
    ReservationMade: on_reservation_made,
    ReservationReleased: on_reservation_released,
    LotStatusChanged: on_lot_status_changed,
    SellablePlacesChanged: on_sellable_places_changed,
    ItemChanged: on_item_changed,
    LocationChanged: on_location_changed,
    OrderStatusChanged: on_order_status_changed,
    TransferStatusChanged: on_transfer_status_changed,
    PurchaseOrderStatusChanged: on_purchase_order_status_changed,
    BuildStatusChanged: on_build_status_changed,
    DeliveryReceived: on_delivery_received,
    AlertRaised: on_alert_raised,
    AlertCleared: on_alert_cleared,
}

EVENT_TYPES = (
    "posting.written", "reservation.made", "reservation.released", "lot.status_changed",
    "location.sellable_changed", "item.created", "item.changed", "location.created", "location.changed",
    "order.status_changed", "transfer.status_changed", "purchase_order.status_changed", "build.status_changed",
    "channel.delivery_received",
    "alert.raised", "alert.cleared",
)
