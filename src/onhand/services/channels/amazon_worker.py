"""One round of the Amazon poller, run by `onhand amazon worker` (every few seconds) or
once by `onhand channels sync NAME`: for each Amazon channel, the `availability` follower is
caught up, orders are pulled when due, changed quantities queued and the due ones sent.

A channel that fails (Amazon down, credentials missing) is recorded in its state and the
others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from onhand.domain.channels.amazon import ChannelConnection
from onhand.domain.errors import OnhandError
from onhand.services.channels.amazon_orders import amazon_channel
from onhand.services.channels.amazon_pushes import SendResult, queue_amazon_quantities, send_amazon_quantities
from onhand.services.channels.amazon_sync import SyncResult, amazon_channels, amazon_connection, sync_amazon_orders
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.feed import availability
from onhand.services.feed.followers import catch_up, run_until_idle
from onhand.services.ports.amazon import AmazonApi

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ORDERS_EVERY = timedelta(minutes=2)  # getOrders allows one request a minute (burst 20)


@dataclass(frozen=True)
class Round:
    channel: str
    orders: SyncResult | None  # None: not due
    pushed: SendResult | None
    error: str | None


def sync_channel(ctx: ServiceContext, name: str, api: AmazonApi) -> Round:
    """Everything now, orders included (on demand)."""
    catch_up(ctx, availability.FOLLOWER)
    orders = sync_amazon_orders(ctx, name, api)
    catch_up(ctx, availability.FOLLOWER)  # what the orders reserved
    queue_amazon_quantities(ctx, name)
    return Round(name, orders, send_amazon_quantities(ctx, name, api), None)


def _due(ctx: ServiceContext, name: str) -> bool:
    with ctx.reading() as uow:
        last = amazon_channel(uow, name).last_sync_at
    return last is None or ctx.now() - last >= ORDERS_EVERY


def run_amazon_round(ctx: ServiceContext, connect: Callable[[ChannelConnection], AmazonApi]) -> list[Round]:
    """One round over every Amazon channel: orders when due, quantities always."""
    rounds = []
    run_until_idle(ctx, availability.FOLLOWER)
    for name in amazon_channels(ctx):
        try:
            api = connect(amazon_connection(ctx, name))
            orders = sync_amazon_orders(ctx, name, api) if _due(ctx, name) else None
            if orders is not None:
                run_until_idle(ctx, availability.FOLLOWER)
            queue_amazon_quantities(ctx, name)
            rounds.append(Round(name, orders, send_amazon_quantities(ctx, name, api), None))
        except OnhandError as failed:
            _record(ctx, name, str(failed))
            rounds.append(Round(name, None, None, str(failed)))
    return rounds


def _record(ctx: ServiceContext, name: str, error: str) -> None:
    def work(uow: UnitOfWork) -> Any:
        channel = amazon_channel(uow, name)
        now = ctx.now()
        uow.channels.update(channel.id, last_error=error[:500], last_error_at=now, updated_at=now)

    in_transaction(ctx, work)
