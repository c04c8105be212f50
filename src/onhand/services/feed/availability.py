"""The `availability` follower: the available-to-sell quantity of every (item, internal
location) whose quantities changed, coalesced per batch, with the event and the version
at which it last changed — so a channel can ask "what changed since my mark".

It reacts to postings, reservations, lot status changes and places that stopped or
started being sellable, and computes availability with the one rule every report uses
(`domain.ledger.availability.available`, `effective_sellable`, `lot_usable`) from the
balances as they are when the batch runs. A row changes only when its value does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.locations import effective_sellable
from onhand.domain.catalog.lots import LotStatus, lot_usable
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.availability import available
from onhand.domain.quantities import MAX_DECIMALS, plain
from onhand.services.feed.events import MAX_LIMIT, FeedEvent
from onhand.services.feed.followers import Batch, Follower

if TYPE_CHECKING:
    from onhand.services.context import ServiceContext, UnitOfWork

NAME = "availability"
Pair = tuple[int, int]  # (item id, location id)


@dataclass(frozen=True)
class AvailabilityChange:
    item_id: int
    location_id: int
    available: Decimal
    event_id: int  # the last event that changed it
    version: int  # pass the greatest one back as `since`


def _pairs(uow: UnitOfWork, event: FeedEvent) -> Iterable[Pair]:
    body = event.body
    if event.type == "posting.written":
        return [(b["item_id"], b["location_id"]) for b in body["balances"]]
    if event.type in ("reservation.made", "reservation.released"):
        return [(body["item_id"], body["location_id"])]
    if event.type == "lot.status_changed":
        return uow.availability.pairs_of_lot(body["lot_id"])
    if event.type == "location.sellable_changed":
        return uow.availability.pairs_at([body["location_id"]])
    return []


def touched_pairs(uow: UnitOfWork, events: Iterable[FeedEvent]) -> dict[Pair, int]:
    """The (item, location) pairs whose availability `events` may have changed, each with
    the last event that touched it."""
    last_event: dict[Pair, int] = {}
    for event in events:
        for pair in _pairs(uow, event):
            last_event[pair] = event.id
    return last_event


def available_scaled(uow: UnitOfWork, wanted: set[Pair], now: datetime) -> dict[Pair, int]:
    """Available to sell now at each internal (item, location) pair, in 10^-6 units (absent: none)."""
    by_id = {place.id: place for place in uow.locations.all()}
    day = business_day(now, time_zone(uow.company.get().timezone))
    rows = [r for r in uow.stock_rows.balances(item_ids=sorted({p[0] for p in wanted}),
                                               location_ids={p[1] for p in wanted}) if (r[0], r[1]) in wanted]
    lots = uow.stock_rows.lots(r[2] for r in rows if r[2])
    scaled: dict[Pair, int] = defaultdict(int)
    for item_id, location_id, lot_key, on_hand, reserved in rows:
        usable = True
        if lot_key:
            _code, status, expiry = lots[lot_key]
            usable = lot_usable(LotStatus(status), expiry, day)
        sellable = effective_sellable(by_id[location_id], by_id)
        scaled[(item_id, location_id)] += int(available(on_hand, reserved, sellable=sellable, lot_usable=usable))
    return scaled


def handle(uow: UnitOfWork, batch: Batch) -> None:
    last_event = touched_pairs(uow, batch.events)
    if not last_event:
        return
    by_id = {place.id: place for place in uow.locations.all()}
    wanted = {pair for pair in last_event if by_id[pair[1]].is_internal}
    if not wanted:
        return
    scaled = available_scaled(uow, wanted, batch.now)
    uow.availability.put(
        {"item_id": item_id, "location_id": location_id,
         "available": plain(Decimal(scaled.get((item_id, location_id), 0)).scaleb(-MAX_DECIMALS)),
         "event_id": last_event[(item_id, location_id)], "version": batch.version, "updated_at": batch.now}
        for item_id, location_id in sorted(wanted)
    )


FOLLOWER = Follower(NAME, handle)


def availability_changes(ctx: ServiceContext, *, since: int = 0, limit: int = 100) -> list[AvailabilityChange]:
    """What the follower changed after version `since` (0: everything it holds), oldest first."""
    if isinstance(since, bool) or not isinstance(since, int) or since < 0:
        raise InvalidInput("since", "must be a version (0 or more)")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be 1 to {MAX_LIMIT}")
    with ctx.reading() as uow:
        rows = uow.availability.changed_since(since, limit)
    return [AvailabilityChange(r.item_id, r.location_id, plain(r.available), int(r.event_id), int(r.version))
            for r in rows]
