"""`onhand webhooks add|list|pause|resume|remove|deliveries|resend`: outbound webhook subscriptions and
their delivery log (the secret is printed once, at `add`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.webhooks.commands import (
    AddSubscription,
    RemoveSubscription,
    ResendDelivery,
    SetSubscriptionActive,
)
from onhand.domain.webhooks.views import DeliveryView, SubscriptionView
from onhand.entrypoints.cli.render import console, print_secret, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.webhooks.deliveries import DEFAULT_LIMIT

webhooks_app = typer.Typer(help="Outbound webhooks: subscriptions to the change feed, the delivery log, re-send.",
                           no_args_is_help=True)


def _subscriptions(found: list[SubscriptionView]) -> None:
    grid = table("Id", "Name", "URL", "Events", "Active", "Created", numeric=["Id"])
    for hook in found:
        grid.add_row(text(hook.id), text(hook.name), text(hook.url), text(", ".join(hook.event_types)),
                     text("yes" if hook.active else "no"), text(hook.created_at))
    console().print(grid)


def _deliveries(found: list[DeliveryView]) -> None:
    grid = table("Id", "Webhook", "Event", "Type", "Status", "Attempts", "Last answer", "Next attempt",
                 numeric=["Id", "Webhook", "Event", "Attempts"])
    for d in found:
        answer = str(d.last_status_code) if d.last_status_code is not None else (d.last_error or "")
        grid.add_row(text(d.id), text(d.subscription_id), text(d.event_id), text(d.event_type), text(d.status),
                     text(d.attempts), text(answer), text(d.next_attempt_at))
    console().print(grid)


@webhooks_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the subscription, e.g. 'shop-sync'.")],
    url: Annotated[str, typer.Argument(help="Where to POST: http:// or https://.")],
    event: Annotated[list[str] | None, typer.Option(
        "--event", help="An event type to send (repeatable); none: every type ('*').")] = None,
) -> None:
    """Subscribe a URL to the change feed's events and print its secret once."""
    new = services.webhooks.add_subscription(onhand(ctx), AddSubscription(name, url, tuple(event or ("*",))))
    _subscriptions([new.subscription])
    console().print(Text("Secret (shown only now; your receiver verifies Onhand-Signature with it):", style="bold"))
    print_secret(new.secret)


@webhooks_app.command("list")
def list_webhooks(ctx: typer.Context) -> None:
    """Subscriptions (never their secrets)."""
    _subscriptions(services.webhooks.list_subscriptions(onhand(ctx)))


@webhooks_app.command("pause")
def pause(ctx: typer.Context, webhook_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Stop sending to a subscription for now: its deliveries are still written, and wait."""
    _subscriptions([services.webhooks.set_subscription_active(onhand(ctx), SetSubscriptionActive(webhook_id, False))])


@webhooks_app.command("resume")
def resume(ctx: typer.Context, webhook_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Send again: what waited is due now, with a fresh day of retries."""
    _subscriptions([services.webhooks.set_subscription_active(onhand(ctx), SetSubscriptionActive(webhook_id, True))])


@webhooks_app.command("remove")
def remove(ctx: typer.Context, webhook_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Remove a subscription: no more deliveries; the pending ones are failed."""
    removed = services.webhooks.remove_subscription(onhand(ctx), RemoveSubscription(webhook_id))
    console().print(Text(f"Removed webhook #{removed.id} {removed.name!r}."))


@webhooks_app.command("deliveries")
def deliveries(
    ctx: typer.Context,
    webhook: Annotated[int | None, typer.Option(help="Of this subscription only.")] = None,
    status: Annotated[str | None, typer.Option(help="pending, delivered or failed.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = DEFAULT_LIMIT,
) -> None:
    """The delivery log, newest first."""
    _deliveries(services.webhook_deliveries.list_deliveries(
        onhand(ctx), subscription_id=webhook, status=status, limit=limit))


@webhooks_app.command("resend")
def resend(ctx: typer.Context, delivery_id: Annotated[int, typer.Argument(metavar="DELIVERY_ID")]) -> None:
    """Send a delivery again (the worker sends it in its next round), with a fresh day of retries."""
    _deliveries([services.webhook_deliveries.resend_delivery(onhand(ctx), ResendDelivery(delivery_id))])
