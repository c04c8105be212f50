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
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from onhand.services.feed.followers import Follower, run_until_idle
from onhand.services.worker.senders import Sender

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext

POLL_SECONDS = 1.0
# After a wake-up whose events were not visible yet: how often, and how long, to look again.
EAGER_POLL_SECONDS = 0.05
EAGER_SECONDS = 5.0
# The least time between a round that found nothing and the next. Every commit of every
# process wakes a worker (NOTIFY): while another worker has a channel's turn, 340 answers a
# second would wake this one into as many fruitless rounds of every follower and sender.
# (The channels benchmark's C3 did not move: its import is starved by the answers, not this.)
IDLE_GAP_SECONDS = 0.05
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
    wait: Callable[[float], bool],
    poll: float = POLL_SECONDS,
) -> None:
    """Rounds until `stopping` is set; `wait(seconds)` rests between idle rounds: it returns
    early, True, when the process commits events (False when the time ran out)."""
    followers, senders = list(followers), list(senders)
    log.info("worker started: followers %s; senders %s", ", ".join(f.name for f in followers),
             ", ".join(s.name for s in senders))
    eager_until = 0.0
    while not stopping.is_set():
        if run_round(ctx, followers, senders):
            eager_until = 0.0
            continue
        if stopping.is_set():
            break
        # Woken by a commit, but the round found nothing: on PostgreSQL the events become
        # visible only when older transactions (of any process) end, so look again soon.
        idle_since = time.monotonic()
        soon = idle_since < eager_until
        if wait(min(poll, EAGER_POLL_SECONDS) if soon else poll):
            eager_until = time.monotonic() + EAGER_SECONDS
            rest = idle_since + IDLE_GAP_SECONDS - time.monotonic()
            if rest > 0:
                stopping.wait(rest)
    log.info("worker stopped")
