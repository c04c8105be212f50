"""The push sender: after the follower's transaction committed, send the due quantities
(the outbox `channel_pushes`) to each channel in batches, and mark what it accepted.

- Idempotent: a batch's key is derived from its rows' ids, versions and compare
  quantities, so a retry of a batch whose answer was lost is the same request to Shopify.
- Compare-and-set: each quantity says what Onhand believes is there (`changeFromQuantity`);
  when the channel says that is stale (it sold some), its current quantities are read and
  the batch is sent again with them.
- Throttled (cost-based limit): the rows wait the seconds the channel asked for, not counted
  as a failure; other failures back off exponentially (2^attempts s, at most 15 min).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.channels.documents import QuantityToSet
from onhand.domain.channels.records import ChannelRecord, PushRecord
from onhand.domain.errors import ChannelThrottled, PushFailed
from onhand.services.channels.availability_out import wanted_quantities
from onhand.services.channels.channels import channel_record
from onhand.services.context import ServiceContext, in_transaction
from onhand.services.ports.channels import ChannelConnection

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

BATCH = 100  # quantities per mutation (Shopify takes up to 250)
MAX_ROUNDS = 50
MAX_BACKOFF_SECONDS = 900
STALE = "CHANGE_FROM_QUANTITY_STALE"
_KEYS = uuid.UUID("6f1d3c52-8f0e-4a53-9a57-0c1f2e4b7d10")


def batch_key(channel: ChannelRecord, rows: list[PushRecord]) -> str:
    """The same rows at the same versions and compare quantities: the same key."""
    text = ",".join(f"{r.id}.{r.version}.{r.sent_quantity}" for r in rows)
    return str(uuid.uuid5(_KEYS, f"{channel.id}:{text}"))


def _whole(quantity: Decimal | None) -> int | None:
    return None if quantity is None else int(quantity)


def send_pushes(ctx: ServiceContext) -> int:
    """Send every due quantity to every channel; how many were accepted."""
    with ctx.reading() as uow:
        channels = uow.channels.channels_mapped()
    return sum(_send_channel(ctx, channel) for channel in channels)


def _note(ctx: ServiceContext, channel: ChannelRecord, error: str | None) -> None:
    now = ctx.now()
    values = {"last_error": error[:500], "last_error_at": now} if error else {"last_sync_at": now}
    in_transaction(ctx, lambda uow: uow.channels.update(channel.id, **values))


def _send_channel(ctx: ServiceContext, channel: ChannelRecord) -> int:
    accepted = 0
    connection = ctx.channel_gateways.connect(channel)
    for _round in range(MAX_ROUNDS):
        now = ctx.now()
        with ctx.reading() as uow:
            rows = uow.channels.due_pushes(channel.id, now=now, limit=BATCH)
            items = {m.item_id: m.external_item_id for m in uow.channels.skus(channel.id)}
        if not rows:
            break
        unmapped = [r for r in rows if not items.get(r.item_id)]
        rows = [r for r in rows if items.get(r.item_id)]
        if unmapped:  # the mapping went away: nothing to send for them
            _mark_sent(ctx, unmapped, now)
        if not rows:
            continue
        quantities = [QuantityToSet(items[r.item_id] or "", r.external_location_id, int(r.quantity),
                                    _whole(r.sent_quantity)) for r in rows]
        reference = f"gid://onhand/ChannelPush/{rows[0].id}-{rows[0].version}"
        try:
            refused = connection.set_quantities(quantities, key=batch_key(channel, rows), reference=reference)
        except ChannelThrottled as exc:
            _failed(ctx, rows, now + timedelta(seconds=exc.retry_after), str(exc), count=False)
            break
        except PushFailed as exc:
            wait = min(2 ** (max(r.attempts for r in rows) + 1), MAX_BACKOFF_SECONDS)
            _failed(ctx, rows, now + timedelta(seconds=wait), str(exc), count=True)
            _note(ctx, channel, str(exc))
            break
        if STALE in refused:
            _refresh(ctx, connection, rows, items)
            continue
        if refused:
            wait = min(2 ** (max(r.attempts for r in rows) + 1), MAX_BACKOFF_SECONDS)
            error = f"{channel.name}: refused ({', '.join(sorted(set(refused)))[:200]})"
            _failed(ctx, rows, now + timedelta(seconds=wait), error, count=True)
            _note(ctx, channel, error)
            break
        _mark_sent(ctx, rows, now)
        accepted += len(rows)
        _note(ctx, channel, None)
    return accepted


def _mark_sent(ctx: ServiceContext, rows: list[PushRecord], now: datetime) -> None:
    def work(uow: UnitOfWork) -> None:
        for row in rows:
            uow.channels.push_sent(row.id, version=row.version, quantity=row.quantity, now=now)

    in_transaction(ctx, work)


def _failed(ctx: ServiceContext, rows: list[PushRecord], retry_at: datetime, error: str, *, count: bool) -> None:
    in_transaction(ctx, lambda uow: uow.channels.push_failed(
        [r.id for r in rows], retry_at=retry_at, error=error[:500], now=ctx.now(), count=count))


def _refresh(
    ctx: ServiceContext, connection: ChannelConnection, rows: list[PushRecord], items: dict[int, str | None]
) -> None:
    """Read what the channel holds now for these rows: their next compare quantities."""
    held = connection.quantities(sorted({items[r.item_id] or "" for r in rows}))

    def work(uow: UnitOfWork) -> None:
        for row in rows:
            now_there = held.get((_numeric(items[row.item_id] or ""), _numeric(row.external_location_id)))
            uow.channels.believe(row.id, Decimal(now_there) if now_there is not None else None)

    in_transaction(ctx, work)


def _numeric(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def reconcile(ctx: ServiceContext, channel_name: str) -> tuple[int, int]:
    """Compare every mapped item at every channel location with what the channel holds, make
    what differs due (with the channel's quantity as the compare value) and send it.
    (compared, corrected)."""
    with ctx.reading() as uow:
        channel = channel_record(uow, channel_name)
        items = {m.item_id: m.external_item_id for m in uow.channels.skus(channel.id) if m.external_item_id}
    held = ctx.channel_gateways.connect(channel).quantities(sorted({i for i in items.values() if i}))

    def work(uow: UnitOfWork) -> tuple[int, int]:
        now = ctx.now()
        wanted = wanted_quantities(uow, channel, now)
        for (item, ext), quantity in sorted(wanted.items()):
            uow.channels.want(channel.id, item, ext, quantity, now)
        rows = uow.channels.push_rows(channel.id)
        corrected = 0
        for (item, ext), quantity in sorted(wanted.items()):
            row = rows[(item, ext)]
            there = held.get((_numeric(items[item] or ""), _numeric(ext)))
            uow.channels.believe(row.id, Decimal(there) if there is not None else None)
            if there is None or Decimal(there) != quantity:
                uow.channels.push_again(row.id, now)
                corrected += 1
        return len(wanted), corrected

    compared, corrected = in_transaction(ctx, work)
    send_pushes(ctx)
    return compared, corrected
