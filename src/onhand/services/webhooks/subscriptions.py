"""Webhook subscriptions: add (the secret is returned this once), list, remove.

The secret is never stored nor logged: the subscription keeps a random salt and the
secret is derived from it and the installation's webhook key (`ctx.webhook_key`,
configuration) whenever a delivery is signed (domain/webhooks/signatures.py).
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.errors import AlreadyExists, NotFound
from onhand.domain.webhooks.commands import AddSubscription, RemoveSubscription, SetSubscriptionActive
from onhand.domain.webhooks.signatures import derive_secret
from onhand.domain.webhooks.subscriptions import validate_event_types, validate_name, validate_url
from onhand.domain.webhooks.views import NewSubscription, SubscriptionView
from onhand.services.context import ServiceContext, run_write
from onhand.services.feed.recorder import EVENT_TYPES
from onhand.services.webhooks.records import subscription_view

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

FAILED = "failed"


def subject(view: SubscriptionView) -> AuditObject:
    return AuditObject("webhook", str(view.id))


def _load(uow: UnitOfWork, subscription_id: int) -> SubscriptionView:
    row = uow.webhooks.subscription(subscription_id)
    if row is None or row.removed_at is not None:
        raise NotFound("webhook", str(subscription_id), "id")
    return subscription_view(row)


def add_subscription(ctx: ServiceContext, command: AddSubscription) -> NewSubscription:
    """Subscribe `url` to the event types; it receives the events recorded from now on.

    Deliberately without an idempotency key (as API keys): a replay would hand the secret out again.
    """
    name = validate_name(command.name)
    url = validate_url(command.url)
    types = validate_event_types(command.event_types, EVENT_TYPES)
    salt = secrets.token_hex(32)

    def work(uow: UnitOfWork) -> int:
        if any(row.name == name for row in uow.webhooks.subscriptions()):
            raise AlreadyExists("webhook", name, "name")
        return uow.webhooks.add_subscription({
            "name": name, "url": url, "event_types": json.dumps(list(types)), "secret_salt": salt,
            "active": True, "created_at": ctx.now(),
        })

    view = run_write(ctx, work, _load, action="add_webhook", subject=subject, request=command)
    return NewSubscription(view, derive_secret(ctx.webhook_key, salt))


def list_subscriptions(ctx: ServiceContext) -> list[SubscriptionView]:
    with ctx.reading() as uow:
        return [subscription_view(row) for row in uow.webhooks.subscriptions()]


def set_subscription_active(
    ctx: ServiceContext, command: SetSubscriptionActive, *, idempotency_key: str | None = None
) -> SubscriptionView:
    """Pause or resume sending. Paused, deliveries are still written and wait; resumed, the
    pending ones are due now with a fresh day of retries (a pause does not use up their day)."""

    def work(uow: UnitOfWork) -> int:
        view = _load(uow, command.id)
        uow.webhooks.set_active(view.id, bool(command.active))
        if command.active and not view.active:
            now = ctx.now()
            uow.webhooks.update_pending(view.id, {"next_attempt_at": now, "window_start": now})
        return view.id

    return run_write(ctx, work, _load, action="resume_webhook" if command.active else "pause_webhook",
                     subject=subject, idempotency_key=idempotency_key, request=command)


def remove_subscription(
    ctx: ServiceContext, command: RemoveSubscription, *, idempotency_key: str | None = None
) -> SubscriptionView:
    """Stop sending to it: it gets no new deliveries, and those still pending are failed."""

    def work(uow: UnitOfWork) -> int:
        view = _load(uow, command.id)
        now = ctx.now()
        uow.webhooks.remove_subscription(view.id, now)
        uow.webhooks.update_pending(view.id, {"status": FAILED, "next_attempt_at": None, "finished_at": now,
                                           "last_error": "subscription removed"})
        return view.id

    def load(uow: UnitOfWork, subscription_id: int) -> SubscriptionView:
        row = uow.webhooks.subscription(subscription_id)
        if row is None:
            raise NotFound("webhook", str(subscription_id), "id")
        return subscription_view(row)

    return run_write(ctx, work, load, action="remove_webhook", subject=subject,
                     idempotency_key=idempotency_key, request=command)
