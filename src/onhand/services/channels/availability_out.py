"""Availability out: what each mapped channel location should show of each mapped item.

The `channel-availability` follower reads the change feed and, for the items a batch
touched (and the bundles made of them), writes the quantity wanted per (channel, item,
channel location) into the push outbox, in the follower's own transaction: coalesced (one
row per target, however many changes), made due again whenever the batch touched it. The
sender (`pushes.py`) sends them after commit. A touched row is sent even when its number
did not change: the shop counts its own sales, so it may hold less than Onhand last sent.
`reconcile` compares everything with what the channel holds and corrects it.

A channel location shows the sum over the Onhand locations mapped to it (each with its
bins) of what is available to sell now there — the same rule as every report
(`services.feed.availability.available_scaled`: transit, quarantined, expired and
non-sellable stock excluded); a bundle's is computed per Onhand location from its
components and then summed (a bundle ships from one place). Channels count whole units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from onhand.domain.assemblies.bundles import flatten, kit_quantity
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.quantities import MAX_DECIMALS
from onhand.services.feed.availability import available_scaled, touched_pairs
from onhand.services.feed.followers import Batch, Follower

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

NAME = "channel-availability"
Target = tuple[int, str]  # (item id, channel location id)


def _groups(uow: UnitOfWork, channel: ChannelRecord) -> dict[int, tuple[str, set[int]]]:
    """Each mapped Onhand location: its channel location id and itself with its bins."""
    places = uow.locations.all()
    parents = {place.id: place.parent_id for place in places}
    groups = {m.location_id: (m.external_location_id, {m.location_id}) for m in uow.channels.locations(channel.id)}
    for place in places:
        up = parents.get(place.id)
        while up is not None:
            if up in groups:
                groups[up][1].add(place.id)
            up = parents.get(up)
    return groups


def wanted_quantities(
    uow: UnitOfWork, channel: ChannelRecord, now: datetime, item_ids: Iterable[int] | None = None
) -> dict[Target, Decimal]:
    """The whole units each mapped item should show at each channel location (items with an
    inventory-item id there only); `item_ids`: only the items those touched (bundles included)."""
    mapped = [m.item_id for m in uow.channels.skus(channel.id) if m.external_item_id]
    groups = _groups(uow, channel)
    if not mapped or not groups:
        return {}
    graph = uow.boms.kit_graph()
    needs = {item: flatten(item, graph) for item in mapped if item in graph}
    if item_ids is not None:
        touched = set(item_ids)
        mapped = [item for item in mapped if item in touched or touched & set(needs.get(item, {}))]
    leaves = {leaf for item in mapped for leaf in needs.get(item, {item: Decimal(1)})}
    members = {loc for _ext, group in groups.values() for loc in group}
    scaled = available_scaled(uow, {(leaf, loc) for leaf in leaves for loc in members}, now)
    per_place: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (leaf, loc), amount in scaled.items():
        for place, (_ext, group) in groups.items():
            if loc in group:
                per_place[(leaf, place)] += Decimal(amount).scaleb(-MAX_DECIMALS)
    wanted: dict[Target, Decimal] = defaultdict(Decimal)
    for item in mapped:
        for place, (ext, _group) in groups.items():
            if item in needs:
                here = kit_quantity(needs[item], {c: per_place[(c, place)] for c in needs[item]}, 0)
            else:
                here = per_place[(item, place)]
            wanted[(item, ext)] += here.to_integral_value(rounding=ROUND_FLOOR)
    return dict(wanted)


def handle(uow: UnitOfWork, batch: Batch) -> None:
    item_ids = {item for item, _location in touched_pairs(uow, batch.events)}
    if not item_ids:
        return
    for channel in uow.channels.channels_mapped():
        for (item, ext), quantity in sorted(wanted_quantities(uow, channel, batch.now, item_ids).items()):
            # Due even when Onhand's number did not move: a sale the shop counted itself and a
            # receipt can cancel out here while the shop holds less (the push's compare reads it).
            uow.channels.touch(channel.id, item, ext, quantity, batch.now)


FOLLOWER = Follower(NAME, handle)
