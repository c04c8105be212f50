"""Outbound webhooks: subscriptions (permission `webhooks` to change, `read` to list) and
the delivery log with re-send. The answer that carries a secret says `Cache-Control: no-store`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Response

from onhand import services
from onhand.domain.webhooks.commands import (
    AddSubscription,
    RemoveSubscription,
    ResendDelivery,
    SetSubscriptionActive,
)
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, Reader, WebhookAdmin
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, MAX_INT64, PathId
from onhand.entrypoints.api.schemas.webhooks import (
    DeliveryList,
    DeliveryOut,
    NewWebhookOut,
    WebhookIn,
    WebhookList,
    WebhookOut,
    WebhookPatch,
)
from onhand.services.webhooks.deliveries import DEFAULT_LIMIT, MAX_LIMIT

router = ApiRouter(tags=["webhooks"], responses=ERROR_RESPONSES)


@router.get("/webhooks", summary="Webhook subscriptions (never their secrets)")
def list_webhooks(onhand: OnhandDep, _key: Reader) -> WebhookList:
    return WebhookList(webhooks=[WebhookOut.of(w) for w in services.webhooks.list_subscriptions(onhand)])


@router.post("/webhooks", status_code=201, summary="Subscribe a URL to events; its secret is returned this once")
def add_webhook(body: WebhookIn, onhand: OnhandDep, _key: WebhookAdmin, response: Response) -> NewWebhookOut:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    new = services.webhooks.add_subscription(
        onhand, AddSubscription(name=body.name, url=body.url, event_types=tuple(body.event_types)))
    return NewWebhookOut.of(new)


@router.patch("/webhooks/{webhook_id}", summary="Pause or resume sending to a subscription")
def change_webhook(
    webhook_id: PathId, body: WebhookPatch, onhand: OnhandDep, _key: WebhookAdmin,
    idempotency_key: IdempotencyKey = None,
) -> WebhookOut:
    changed = services.webhooks.set_subscription_active(
        onhand, SetSubscriptionActive(webhook_id, body.active), idempotency_key=idempotency_key)
    return WebhookOut.of(changed)


@router.delete("/webhooks/{webhook_id}", summary="Remove a subscription (its pending deliveries are failed)")
def remove_webhook(
    webhook_id: PathId, onhand: OnhandDep, _key: WebhookAdmin, idempotency_key: IdempotencyKey = None
) -> WebhookOut:
    removed = services.webhooks.remove_subscription(onhand, RemoveSubscription(webhook_id),
                                                    idempotency_key=idempotency_key)
    return WebhookOut.of(removed)


@router.get("/webhook-deliveries", summary="Webhook deliveries, newest first")
def list_deliveries(
    onhand: OnhandDep,
    _key: Reader,
    webhook: Annotated[int | None, Query(ge=1, le=MAX_INT64, description="Of this subscription only")] = None,
    status: Annotated[Literal["pending", "delivered", "failed"] | None, Query(description="Of this status only")]
    = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many")] = DEFAULT_LIMIT,
) -> DeliveryList:
    found = services.webhook_deliveries.list_deliveries(onhand, subscription_id=webhook, status=status, limit=limit)
    return DeliveryList(deliveries=[DeliveryOut.of(d) for d in found])


@router.post("/webhook-deliveries/{delivery_id}/resend",
             summary="Send a delivery again now, with a fresh day of retries")
def resend_delivery(
    delivery_id: PathId, onhand: OnhandDep, _key: WebhookAdmin, idempotency_key: IdempotencyKey = None
) -> DeliveryOut:
    return DeliveryOut.of(services.webhook_deliveries.resend_delivery(
        onhand, ResendDelivery(delivery_id), idempotency_key=idempotency_key))
