"""Pulling Amazon's orders: on demand (`onhand channels sync NAME`) and on a schedule
(`amazon_worker`), with getOrders' LastUpdatedAfter kept as the channel's `orders` cursor,
and a bulk back-fill from the flat-file order report.

The cursor moves only after every page of a sync was applied, so a sync cut short (a crash,
Amazon failing) is repeated from the same point; each order's import is idempotent by its
AmazonOrderId, so what was applied before is not applied twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from onhand.domain.channels.amazon import Action, AmazonOrder, ChannelConnection, action_for
from onhand.domain.errors import InvalidInput, OnhandError, PushFailed
from onhand.services.channels.amazon_orders import amazon_channel, apply_amazon_order, note_refused
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.ports.amazon import AmazonApi

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ORDERS_CURSOR = "orders"
FIRST_LOOK_BACK = timedelta(days=30)  # how far back the first sync of a channel reads
MAX_PAGES = 500  # of one sync; the rest is read by the next one (the cursor has not moved)


@dataclass(frozen=True)
class SyncResult:
    channel: str
    orders: int
    outcomes: dict[str, int]
    cursor: str  # the LastUpdatedAfter of the next sync


def amazon_connection(ctx: ServiceContext, name: str) -> ChannelConnection:
    with ctx.reading() as uow:
        record = amazon_channel(uow, name)
    return ChannelConnection(record.name, record.endpoint, record.credentials)


def amazon_channels(ctx: ServiceContext) -> list[str]:
    with ctx.reading() as uow:
        return [record.name for record in uow.channels.all() if record.kind == "amazon"]


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment is not None and moment.tzinfo else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def apply_orders(ctx: ServiceContext, name: str, orders: Iterable[AmazonOrder]) -> Counter[str]:
    """Apply each order; one that fails is listed as an exception and the rest go on."""
    outcomes: Counter[str] = Counter()
    for order in orders:
        try:
            outcomes[apply_amazon_order(ctx, name, order).value] += 1
        except PushFailed:
            raise
        except OnhandError as refused:
            note_refused(ctx, name, order, str(refused))
            outcomes["refused"] += 1
    return outcomes


def sync_amazon_orders(ctx: ServiceContext, name: str, api: AmazonApi) -> SyncResult:
    """Read the orders Amazon changed since the cursor, every page, and apply them."""
    with ctx.reading() as uow:
        channel = amazon_channel(uow, name)
        after = uow.channel_sync.cursor(channel.id, ORDERS_CURSOR) or _iso(ctx.now() - FIRST_LOOK_BACK)
    start = newest = _moment(after) or ctx.now() - FIRST_LOOK_BACK
    bound: datetime | None = None
    token: str | None = None
    outcomes: Counter[str] = Counter()
    seen = 0
    try:
        for _ in range(MAX_PAGES):
            page = api.orders_page(last_updated_after=after, next_token=token)
            bound = bound or _moment(page.last_updated_before)
            full = []
            for order in page.orders:
                updated = _moment(order.last_update)
                newest = max(newest, updated) if updated else newest
                lines = api.order_lines(order.amazon_order_id) if action_for(order) is not Action.NOTHING else ()
                full.append(replace(order, lines=lines))
            outcomes += apply_orders(ctx, name, full)
            seen += len(full)
            token = page.next_token
            if not token:
                break
        else:
            bound = None  # pages left: the next sync starts where the last order read was
    except PushFailed as failed:
        _record_error(ctx, channel.id, str(failed))
        raise
    # Amazon's LastUpdatedBefore bounds what the listing held; without it, the newest change read.
    cursor = _iso(max(bound or newest, start))  # never backwards

    def work(uow: UnitOfWork) -> Any:
        now = ctx.now()
        uow.channel_sync.set_cursor(channel.id, ORDERS_CURSOR, cursor, now)
        uow.channels.update(channel.id, last_sync_at=now, last_error=None, last_error_at=None, updated_at=now)

    in_transaction(ctx, work)
    return SyncResult(channel.name, seen, dict(outcomes), cursor)


def backfill_amazon_orders(ctx: ServiceContext, name: str, orders: list[AmazonOrder]) -> SyncResult:
    """Apply the orders of a flat-file order report (parsed by the adapter); the cursor stays."""
    if len(orders) > 100_000:
        raise InvalidInput("report", "has more than 100000 orders")
    with ctx.reading() as uow:
        channel = amazon_channel(uow, name)
        cursor = uow.channel_sync.cursor(channel.id, ORDERS_CURSOR) or ""
    outcomes = apply_orders(ctx, name, orders)
    return SyncResult(channel.name, len(orders), dict(outcomes), cursor)


def _record_error(ctx: ServiceContext, channel_id: int, error: str) -> None:
    def work(uow: UnitOfWork) -> Any:
        now = ctx.now()
        uow.channels.update(channel_id, last_error=error[:500], last_error_at=now, updated_at=now)

    in_transaction(ctx, work)
