"""What a worker runs for the channels, and `sync`: everything until nothing is left.

- Followers of the change feed (composed in `services/worker/standard.py`):
  `channel-availability` (quantities wanted → push outbox) and `channel-fulfilment`
  (shipments of imported orders → fulfilment outbox), each writing only in its own
  transaction.
- Senders, run after those transactions commit (`channel_senders()`): process the webhook
  inbox, send due quantities, send due fulfilments. Each is `(ctx) -> how many done`,
  idempotent, safe to run in several processes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from onhand.services.channels import availability_out, fulfilments, inbox, pushes
from onhand.services.context import ServiceContext
from onhand.services.feed import availability
from onhand.services.feed.followers import Follower, catch_up

Sender = Callable[[ServiceContext], int]
MAX_ROUNDS = 100


def channel_followers() -> dict[str, Follower]:
    return {availability_out.NAME: availability_out.FOLLOWER, fulfilments.NAME: fulfilments.FOLLOWER}


def channel_senders() -> dict[str, Sender]:
    return {"channel-inbox": inbox.process_inbox, "channel-pushes": pushes.send_pushes,
            "channel-fulfilments": fulfilments.send_fulfilments}


@dataclass(frozen=True)
class SyncReport:
    deliveries: int
    pushes: int
    fulfilments: int


def sync(ctx: ServiceContext) -> SyncReport:
    """Process the inbox, catch the followers up, send what is due — until nothing changes
    (an imported order changes availability, which is then pushed)."""
    done = {"channel-inbox": 0, "channel-pushes": 0, "channel-fulfilments": 0}
    followers = [availability.FOLLOWER, *channel_followers().values()]
    for _round in range(MAX_ROUNDS):
        progress = 0
        progress += (n := inbox.process_inbox(ctx))
        done["channel-inbox"] += n
        for follower in followers:
            progress += catch_up(ctx, follower)
        for name, sender in channel_senders().items():
            if name != "channel-inbox":
                progress += (n := sender(ctx))
                done[name] += n
        if progress == 0:
            break
    return SyncReport(done["channel-inbox"], done["channel-pushes"], done["channel-fulfilments"])
