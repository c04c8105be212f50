"""The worker's loop: a round runs every follower until it is caught up, then every sender;
after a round with nothing to do it waits (`poll` seconds, or less when this process
commits new events: the `wait` given wakes then) and goes again, until `stopping` is set.

Several workers on one PostgreSQL database share the work without doubling it: a follower
is run by one process at a time (its row is claimed `FOR UPDATE SKIP LOCKED`; the others
skip it), and a sender claims each record it sends. A follower or sender that fails is
logged and tried again next round; the others go on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from onhand.services.feed.followers import Follower, run_until_idle
from onhand.services.worker.senders import Sender

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext

POLL_SECONDS = 1.0
log = logging.getLogger("onhand.worker")


def run_round(ctx: ServiceContext, followers: Iterable[Follower], senders: Iterable[Sender]) -> int:
    """Every follower until caught up, then every sender once; the events and records handled."""
    done = 0
    for follower in followers:
        try:
            done += run_until_idle(ctx, follower)
        except Exception:
            log.exception("follower %s failed; it runs again next round", follower.name)
    for sender in senders:
        try:
            done += sender.send(ctx)
        except Exception:
            log.exception("sender %s failed; it runs again next round", sender.name)
    return done


def run_worker(
    ctx: ServiceContext,
    followers: Iterable[Follower],
    senders: Iterable[Sender],
    *,
    stopping: threading.Event,
    wait: Callable[[float], object],
    poll: float = POLL_SECONDS,
) -> None:
    """Rounds until `stopping` is set; `wait(seconds)` rests between idle rounds (it should
    return early when the process commits events, or when asked to stop)."""
    followers, senders = list(followers), list(senders)
    log.info("worker started: followers %s; senders %s", ", ".join(f.name for f in followers),
             ", ".join(s.name for s in senders))
    while not stopping.is_set():
        if run_round(ctx, followers, senders) == 0 and not stopping.is_set():
            wait(poll)
    log.info("worker stopped")
