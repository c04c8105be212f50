"""`onhand events tail` (the change feed, one JSON object per line) and `onhand followers
run / list` (the feed's consumers and how far behind they are)."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from onhand import services
from onhand.entrypoints.cli.render import console, iso_moment, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.feed.events import FeedEvent
from onhand.services.feed.followers import DEFAULT_BATCH, Step
from onhand.services.worker.standard import standard_followers

events_app = typer.Typer(help="The change feed: every change other systems care about.", no_args_is_help=True)
followers_app = typer.Typer(help="Followers: consumers of the change feed, exactly once.", no_args_is_help=True)


def _line(event: FeedEvent) -> str:
    return json.dumps({"id": event.id, "type": event.type, "at": iso_moment(event.at), "actor": event.actor,
                       "actor_name": event.actor_name, "body": event.body}, ensure_ascii=False, sort_keys=True)


@events_app.command("tail")
def tail(
    ctx: typer.Context,
    after: Annotated[int, typer.Option(help="Only events after this id (0: from the start).")] = 0,
    follow: Annotated[bool, typer.Option("--follow", help="Keep waiting for new events (Ctrl-C stops).")] = False,
    type_: Annotated[list[str] | None, typer.Option("--type", help="Only events of this type (repeatable).")] = None,
    limit: Annotated[int, typer.Option(help="Events per read (1-1000).")] = 100,
) -> None:
    """Print events after --after, oldest first, one JSON object per line."""
    service = onhand(ctx)
    position = after
    while True:
        page = services.events.events_after(service, after=position, limit=limit, types=type_)
        for event in page.events:
            typer.echo(_line(event))
        position = page.last_id
        if len(page.events) < limit:
            if not follow:
                return
            time.sleep(1.0)


@followers_app.command("run")
def run(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="The follower (all when left out).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Stop when caught up instead of waiting.")] = False,
    batch: Annotated[int, typer.Option(help="Events per transaction (1-10000).")] = DEFAULT_BATCH,
) -> None:
    """Run followers over the change feed: each event exactly once, resumable."""
    service = onhand(ctx)
    chosen = services.followers.choose(standard_followers(), name)
    if once:
        for follower in chosen:
            handled = services.followers.run_until_idle(service, follower, batch_size=batch)
            typer.echo(f"{follower.name}: {handled} events")
        return

    def report(step: Step) -> None:
        typer.echo(f"{step.follower}: {step.handled} events, up to {step.last_event_id}")

    while True:  # every follower in turn; Ctrl-C stops
        idle = True
        for follower in chosen:
            step = services.followers.run_batch(service, follower, batch_size=batch)
            if step.handled:
                idle = False
                report(step)
        if idle:
            time.sleep(1.0)


@followers_app.command("list")
def list_followers(ctx: typer.Context) -> None:
    """Every follower: the last event it handled, events read, and how far behind it is."""
    grid = table("Follower", "Position", "Handled", "Lag", "Updated", numeric=["Position", "Handled", "Lag"])
    for status in services.followers.follower_status(onhand(ctx), standard_followers()):
        grid.add_row(text(status.name), text(status.position), text(status.handled), text(status.lag),
                     text(status.updated_at or "never"))
    console().print(grid)
