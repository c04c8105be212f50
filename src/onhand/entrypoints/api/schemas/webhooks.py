"""Webhook subscriptions and their deliveries: the secret is shown once, at creation."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool

from onhand.domain.webhooks.views import DeliveryView, NewSubscription, SubscriptionView
from onhand.entrypoints.api.schemas.common import RequestModel, ResponseModel
from onhand.services.feed.recorder import EVENT_TYPES


class WebhookOut(ResponseModel):
    id: int
    name: str
    url: str
    event_types: list[str] = Field(description="The event types sent; [\"*\"]: every type")
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, view: SubscriptionView) -> WebhookOut:
        return cls(id=view.id, name=view.name, url=view.url, event_types=list(view.event_types),
                   active=view.active, created_at=view.created_at)


class WebhookList(ResponseModel):
    webhooks: list[WebhookOut]


class WebhookIn(RequestModel):
    name: str = Field(max_length=200, examples=["shop-sync"])
    url: str = Field(max_length=4000, description="http:// or https://, at most 2000 characters",
                     examples=["https://example.com/hooks/onhand"])
    event_types: list[str] = Field(
        ["*"], max_length=len(EVENT_TYPES) + 1,
        description=f"Event types to send, or [\"*\"] for all (default). Known: {', '.join(EVENT_TYPES)}",
        examples=[["order.status_changed", "posting.written"]],
    )


class WebhookPatch(RequestModel):
    active: StrictBool = Field(description="false pauses sending (deliveries wait), true resumes it")


class NewWebhookOut(ResponseModel):
    webhook: WebhookOut
    secret: str = Field(description="Signs every delivery (Onhand-Signature); shown this once, never again")

    @classmethod
    def of(cls, new: NewSubscription) -> NewWebhookOut:
        return cls(webhook=WebhookOut.of(new.subscription), secret=new.secret)


class DeliveryOut(ResponseModel):
    id: int
    webhook_id: int
    event_id: int
    event_type: str
    status: str = Field(description="pending, delivered or failed")
    attempts: int = Field(description="Attempts since it was first due or last re-sent")
    last_status_code: int | None = Field(description="The receiver's last HTTP status; null: no answer")
    last_error: str | None
    next_attempt_at: datetime | None = Field(description="When it is tried next; null once delivered or failed")
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, view: DeliveryView) -> DeliveryOut:
        return cls(id=view.id, webhook_id=view.subscription_id, event_id=view.event_id, event_type=view.event_type,
                   status=view.status, attempts=view.attempts, last_status_code=view.last_status_code,
                   last_error=view.last_error, next_attempt_at=view.next_attempt_at, created_at=view.created_at,
                   finished_at=view.finished_at)


class DeliveryList(ResponseModel):
    deliveries: list[DeliveryOut]
