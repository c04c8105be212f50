"""Availability out: what each mapped channel location should show of each mapped item.

The `channel-availability` follower reads the change feed and, for the items a batch
touched (and the bundles made of them), writes the quantity wanted per (channel, item,
channel location) into the push outbox, in the follower's own transaction: coalesced (one
row per target, however many changes), made due again whenever the batch touched it. The
sender (`pushes.py`) sends them after commit. A touched row is sent even when its number
did not change: the shop counts its own sales, so it may hold less than Onhand last sent.
`reconcile` compares everything with what the channel holds and corrects it.

A channel location shows what is available to sell now at the Onhand locations mapped
to it (each with its bins, each counted once) — the same rule as every report
(`services.feed.availability.available_scaled`: transit, quarantined, expired and
non-sellable stock excluded). A bundle's is the bundles' one rule
(`domain/assemblies/bundles.py: kits_over_sites`): kits per site from the components
there, summed over the sites — never kits of components summed over sites that cannot
ship a whole bundle. Channels count whole units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from onhand.domain.assemblies.bundles import flatten, kits_over_sites
from onhand.domain.catalog.locations import site_of
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.quantities import MAX_DECIMALS
from onhand.services.feed.availability import available_scaled, touched_pairs
from onhand.services.feed.followers import Batch, Follower

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

NAME = "channel-availability"
Target = tuple[int, str]  # (item id, channel location id)


def _groups(uow: UnitOfWork, channel: ChannelRecord) -> dict[tuple[str, int], set[int]]:
    """Per (channel location id, site id): the Onhand locations mapped to that channel
    location within that site, with their bins (a place mapped twice counts once)."""
    places = uow.locations.all()
    by_id = {place.id: place for place in places}
    parents = {place.id: place.parent_id for place in places}
    mapped: dict[int, set[str]] = defaultdict(set)
    for m in uow.channels.locations(channel.id):
        mapped[m.location_id].add(m.external_location_id)
    groups: dict[tuple[str, int], set[int]] = defaultdict(set)
    for place in places:
        up: int | None = place.id
        while up is not None:
            for ext in mapped.get(up, ()):
                groups[(ext, site_of(place, by_id).id)].add(place.id)
            up = parents.get(up)
    return dict(groups)


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
    members = {loc for group in groups.values() for loc in group}
    scaled = available_scaled(uow, {(leaf, loc) for leaf in leaves for loc in members}, now)
    # Per channel location: each site's available of each leaf item.
    per_site: dict[str, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for (leaf, loc), amount in scaled.items():
        for (ext, site), group in groups.items():
            if loc in group:
                per_site[ext][site][leaf] += Decimal(amount).scaleb(-MAX_DECIMALS)
    wanted: dict[Target, Decimal] = {}
    exts = sorted({ext for ext, _site in groups})
    for item in mapped:
        for ext in exts:
            sites = per_site[ext].values()
            if item in needs:
                wanted[(item, ext)] = kits_over_sites(needs[item], sites, 0)
            else:  # whole units of each site
                wanted[(item, ext)] = sum((site[item].to_integral_value(rounding=ROUND_FLOOR) for site in sites),
                                          Decimal(0))
    return wanted


def _sold_in_a_shop(uow: UnitOfWork, batch: Batch) -> set[int]:
    """Items of new orders: the shop that took one counted the sale itself, so its number
    is asserted again even where Onhand's did not move (a backordered line reserves nothing)."""
    created = [e.body["order_id"] for e in batch.events
               if e.type == "order.status_changed" and e.body.get("previous") is None]
    if not created:
        return set()
    return {line.item_id for lines in uow.orders.lines_of(created).values() for line in lines}


def handle(uow: UnitOfWork, batch: Batch) -> None:
    item_ids = {item for item, _location in touched_pairs(uow, batch.events)} | _sold_in_a_shop(uow, batch)
    if not item_ids:
        return
    for channel in uow.channels.channels_mapped():
        for (item, ext), quantity in sorted(wanted_quantities(uow, channel, batch.now, item_ids).items()):
            # Due even when Onhand's number did not move: a sale the shop counted itself and a
            # receipt can cancel out here while the shop holds less (the push's compare reads it).
            uow.channels.touch(channel.id, item, ext, quantity, batch.now)


FOLLOWER = Follower(NAME, handle)
