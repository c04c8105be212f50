"""Merchant-fulfilled quantities out to Amazon (patchListingsItem, fulfillment_channel_code
DEFAULT), driven by the change feed's availability.

Two steps, as every effect on another system: `queue_amazon_quantities` reads what the
`availability` follower changed since the channel's mark (`channels.availability_version`)
and, in one transaction with the new mark, writes the quantity wanted per mapped SKU in the
outbox (`channel_pushes`, external location `DEFAULT`): a burst of changes to one item
coalesces into one row. `send_amazon_quantities` then sends the due rows after commit; a row
Amazon accepted is marked at the version sent (a newer wanted quantity stays due), a failed
one waits with exponential backoff. Sending a quantity twice is harmless: it is a value,
not a change.

The quantity is the sum of what is available (domain.ledger.availability) at the locations
mapped to DEFAULT and their bins, whole units, never below zero. FBA stock (locations mapped
to AMAZON_*) is Amazon's to count and is never pushed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.catalog.locations import Location
from onhand.domain.channels.amazon import MERCHANT_CODE, pushed_quantity
from onhand.domain.errors import PushFailed
from onhand.services.channels.amazon_orders import amazon_channel
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.ports.amazon import AmazonApi

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

MAX_CHANGES = 100_000  # availability rows read per queue run (one per item and location)
BATCH = 100  # rows sent per send run
FEED_FROM = 20  # due rows from which one JSON_LISTINGS_FEED is sent instead of one patch each
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int


def _merchant_locations(uow: UnitOfWork, channel_id: int) -> set[int]:
    """The locations mapped to DEFAULT and every location inside them."""
    mapped = {m.location_id for m in uow.channels.locations(channel_id) if m.external_location_id == MERCHANT_CODE}
    places = uow.locations.by_id()

    def inside(place: Location) -> bool:
        seen = 0
        while place is not None and seen < 64:
            if place.id in mapped:
                return True
            place = places.get(place.parent_id) if place.parent_id is not None else None
            seen += 1
        return False

    return {place.id for place in places.values() if place.is_internal and inside(place)}


def _want(uow: UnitOfWork, channel_id: int, item_ids: set[int], locations: set[int], ctx: ServiceContext) -> int:
    available = uow.availability.of((item, place) for item in item_ids for place in locations)
    now = ctx.now()
    for item in sorted(item_ids):
        total = sum((available.get((item, place), Decimal(0)) for place in locations), Decimal(0))
        uow.channel_sync.want(channel_id, item, MERCHANT_CODE, Decimal(pushed_quantity(total)), now)
    return len(item_ids)


def queue_amazon_quantities(ctx: ServiceContext, name: str) -> int:
    """Write the quantities whose availability changed since the channel's mark; how many items."""

    def work(uow: UnitOfWork) -> Any:
        channel = amazon_channel(uow, name)
        mapped = {m.item_id for m in uow.channels.skus(channel.id)}
        locations = _merchant_locations(uow, channel.id)
        rows = uow.availability.changed_since(channel.availability_version, MAX_CHANGES, sorted(mapped)) \
            if mapped else []
        if not rows:
            return 0
        touched = {r.item_id for r in rows if r.location_id in locations}
        count = _want(uow, channel.id, touched, locations, ctx) if touched else 0
        uow.channels.update(channel.id, availability_version=max(int(r.version) for r in rows),
                            updated_at=ctx.now())
        return count

    return in_transaction(ctx, work)


def queue_all_amazon_quantities(ctx: ServiceContext, name: str) -> int:
    """Reconcile: the quantity of every mapped SKU, changed or not (after mapping, say)."""

    def work(uow: UnitOfWork) -> Any:
        channel = amazon_channel(uow, name)
        mapped = {m.item_id for m in uow.channels.skus(channel.id)}
        return _want(uow, channel.id, mapped, _merchant_locations(uow, channel.id), ctx)

    return in_transaction(ctx, work)


def send_amazon_quantities(ctx: ServiceContext, name: str, api: AmazonApi, *, batch: int = BATCH) -> SendResult:
    """Send the due quantities (after commit); each accepted one is marked at its version."""
    with ctx.reading() as uow:
        channel = amazon_channel(uow, name)
        skus = {m.item_id: m.external_sku or m.sku for m in uow.channels.skus(channel.id)}
        due = [r for r in uow.channel_sync.due(channel.id, ctx.now(), batch) if r.item_id in skus]
    if len(due) >= FEED_FROM:
        return _send_feed(ctx, channel.id, api, due, skus)
    sent = failed = 0
    for row in due:
        try:
            api.set_quantity(skus[row.item_id], int(row.quantity))
        except PushFailed as refused:
            failed += 1
            _failed(ctx, channel.id, row, str(refused))
            continue
        sent += 1
        _sent(ctx, row)
    return SendResult(sent, failed)


def _send_feed(
    ctx: ServiceContext, channel_id: int, api: AmazonApi, due: list[Any], skus: dict[int, str]
) -> SendResult:
    """Many rows as one JSON_LISTINGS_FEED; each row is marked by the processing report."""
    try:
        results = api.set_quantities([(skus[row.item_id], int(row.quantity)) for row in due])
    except PushFailed as refused:
        for row in due:
            _failed(ctx, channel_id, row, str(refused))
        return SendResult(0, len(due))
    sent = failed = 0
    for row in due:
        error = results.get(skus[row.item_id], "not in the feed's processing report")
        if error is None:
            sent += 1
            _sent(ctx, row)
        else:
            failed += 1
            _failed(ctx, channel_id, row, f"JSON_LISTINGS_FEED: {error}")
    return SendResult(sent, failed)


def _sent(ctx: ServiceContext, row: Any) -> None:
    def work(uow: UnitOfWork) -> None:
        uow.channel_sync.sent(row.id, int(row.version), row.quantity, ctx.now())

    in_transaction(ctx, work)


def _failed(ctx: ServiceContext, channel_id: int, row: Any, error: str) -> None:
    def work(uow: UnitOfWork) -> None:
        now = ctx.now()
        wait = min(FIRST_RETRY * 2 ** int(row.attempts), LONGEST_WAIT)
        uow.channel_sync.failed(row.id, attempts=int(row.attempts) + 1, next_attempt_at=now + wait, error=error,
                                now=now)
        uow.channels.update(channel_id, last_error=error[:500], last_error_at=now)

    in_transaction(ctx, work)
