"""Followers: consumers of the change feed, each exactly once and resumable.

A follower has a name and a handler. `run_batch` opens one write transaction, locks the
follower's position row (on PostgreSQL `FOR UPDATE SKIP LOCKED`: if another process is
running the same follower, this one skips instead of waiting), reads up to `batch_size`
events after the position, hands them to the handler, and stores the new position — in
that same transaction. The handler's writes and the position commit together or not at
all: a crash or an error mid-batch leaves the position where it was, and the next run
handles the same events again, none lost and none twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.errors import InvalidInput
from onhand.services.context import in_transaction
from onhand.services.feed.events import FeedEvent, feed_event

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork

DEFAULT_BATCH = 200
CATCH_UP_TIMEOUT = 10.0  # seconds an on-demand catch-up waits for older transactions
MAX_BATCH = 10_000


@dataclass(frozen=True)
class Batch:
    events: tuple[FeedEvent, ...]  # in the feed's order
    version: int  # the follower's count of events read, this batch included: grows in commit order
    now: datetime


@dataclass(frozen=True)
class Follower:
    name: str
    # Acts on a batch in the follower's transaction (raise to refuse it: nothing is kept).
    handle: Callable[[UnitOfWork, Batch], None]


@dataclass(frozen=True)
class Step:
    follower: str
    handled: int  # events read in this batch (0: nothing new, or busy)
    busy: bool  # another transaction holds the follower (PostgreSQL, another process)
    last_event_id: int | None


@dataclass(frozen=True)
class FollowerStatus:
    name: str
    position: int  # id of the last event handled (0: none yet)
    handled: int  # events read so far
    lag: int  # visible events after the position
    updated_at: datetime | None  # None: never run


def run_batch(ctx: ServiceContext, follower: Follower, *, batch_size: int = DEFAULT_BATCH) -> Step:
    """Handle the next batch of events, if any, exactly once."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= MAX_BATCH:
        raise InvalidInput("batch_size", f"must be 1 to {MAX_BATCH}")

    def work(uow: UnitOfWork) -> Step:
        now = ctx.now()
        claimed = uow.followers.claim(follower.name, now)
        if claimed is None:
            return Step(follower.name, 0, busy=True, last_event_id=None)
        position, handled = claimed
        rows = uow.feed.after(position, batch_size)
        if not rows:
            return Step(follower.name, 0, busy=False, last_event_id=None)
        version = handled + len(rows)
        follower.handle(uow, Batch(tuple(feed_event(r) for r in rows), version, now))
        last = rows[-1]
        uow.followers.advance(follower.name, (int(last.tx), int(last.id)), version, now)
        return Step(follower.name, len(rows), busy=False, last_event_id=int(last.id))

    return in_transaction(ctx, work)


def run_until_idle(ctx: ServiceContext, follower: Follower, *, batch_size: int = DEFAULT_BATCH) -> int:
    """Batches until nothing new is visible (or another process holds the follower);
    the number of events handled."""
    total = 0
    while True:
        step = run_batch(ctx, follower, batch_size=batch_size)
        total += step.handled
        if step.handled == 0:
            return total


def catch_up(ctx: ServiceContext, follower: Follower, *, timeout: float = CATCH_UP_TIMEOUT,
             batch_size: int = DEFAULT_BATCH) -> int:
    """`run_until_idle`, and also every event committed before this call: on PostgreSQL an
    event is readable only once every older transaction on the server has ended, so an
    on-demand sync waits for that (at most `timeout` seconds, then takes what it can see)."""
    with ctx.reading() as uow:
        newest = uow.feed.newest_tx()
    total = run_until_idle(ctx, follower, batch_size=batch_size)
    deadline = time.monotonic() + timeout
    while True:
        with ctx.reading() as uow:
            visible = uow.feed.visible_through(newest)
        if visible or time.monotonic() > deadline:
            return total + run_until_idle(ctx, follower, batch_size=batch_size)
        time.sleep(0.01)


def choose(followers: Mapping[str, Follower], name: str | None) -> list[Follower]:
    """The follower named (all of them when None)."""
    if name is None:
        return list(followers.values())
    if name not in followers:
        raise InvalidInput("name", f"no follower named {name!r}; known: {', '.join(sorted(followers))}")
    return [followers[name]]


def follower_status(ctx: ServiceContext, followers: Mapping[str, Follower]) -> list[FollowerStatus]:
    """Every follower: its position, events read, and how many visible events it has not read."""
    with ctx.reading() as uow:
        rows = {r.name: r for r in uow.followers.all()}
        result = []
        for name in sorted(set(rows) | set(followers)):
            row = rows.get(name)
            position = (int(row.position_tx), int(row.position_id)) if row else (0, 0)
            result.append(FollowerStatus(
                name=name, position=position[1], handled=int(row.handled) if row else 0,
                lag=uow.feed.count_after(position), updated_at=row.updated_at if row else None,
            ))
    return result
