"""The delivery log and manual re-send."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.errors import Conflict, InvalidInput, NotFound
from onhand.domain.webhooks.commands import ResendDelivery
from onhand.domain.webhooks.views import DeliveryView
from onhand.services.context import ServiceContext, run_write
from onhand.services.webhooks.records import delivery_view

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

STATUSES = ("pending", "delivered", "failed")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def list_deliveries(
    ctx: ServiceContext, *, subscription_id: int | None = None, status: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[DeliveryView]:
    """Deliveries, newest first: of one subscription, of one status, or all."""
    if status is not None and status not in STATUSES:
        raise InvalidInput("status", f"must be one of {', '.join(STATUSES)}")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be 1 to {MAX_LIMIT}")
    with ctx.reading() as uow:
        if subscription_id is not None and uow.webhooks.subscription(subscription_id) is None:
            raise NotFound("webhook", str(subscription_id), "webhook")
        rows = uow.webhooks.deliveries(subscription_id=subscription_id, status=status, limit=limit)
    return [delivery_view(row) for row in rows]


def _load(uow: UnitOfWork, delivery_id: int) -> DeliveryView:
    row = uow.webhooks.delivery(delivery_id)
    if row is None:
        raise NotFound("delivery", str(delivery_id), "id")
    return delivery_view(row)


def resend_delivery(
    ctx: ServiceContext, command: ResendDelivery, *, idempotency_key: str | None = None
) -> DeliveryView:
    """Make a delivery due now, whatever its status, with a fresh day of retries
    (`attempts` counts again from 0). It is sent by the next round of the worker."""

    def work(uow: UnitOfWork) -> int:
        delivery = _load(uow, command.id)
        subscription = uow.webhooks.subscription(delivery.subscription_id)
        if subscription is None or subscription.removed_at is not None:
            raise Conflict(f"id: delivery {command.id} belongs to a removed webhook")
        now = ctx.now()
        uow.webhooks.reset(delivery.id, {"status": "pending", "attempts": 0, "next_attempt_at": now,
                                         "window_start": now, "finished_at": None})
        return delivery.id

    return run_write(ctx, work, _load, action="resend_webhook_delivery",
                     subject=lambda view: AuditObject("webhook_delivery", str(view.id)),
                     idempotency_key=idempotency_key, request=command)
