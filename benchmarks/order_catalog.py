"""What the sales-order benchmark sells from: sites with routing zones, items, stock.

Set up through the services, untimed. Stock arrives as adjustments (reason `found`,
up to 200 lines each), spread evenly over the sites and, for lot-tracked items, over
lots with different expiry dates, so that routing and FEFO both have choices to make.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, SetLocationRouting
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine

# Site code -> the zones it serves first (domain/orders/routing.py).
SITES = {"WH-01": "US-NY,US-NJ", "WH-02": "US-CA", "WH-03": "US-TX", "WH-04": "US-IL"}
# Ship-to regions of the orders; no site serves WA first, so routing falls back to priority.
REGIONS = ("NY", "NJ", "CA", "TX", "IL", "WA")
SHELF_LIFE_DAYS = 365
LOTS_PER_SITE = 2
RECEIPT_LINES = 200


def create_sites(onhand: Onhand) -> tuple[str, ...]:
    for code, zones in SITES.items():
        services.locations.create_location(onhand, CreateLocation(
            code=code, name=f"Warehouse {code}", kind="warehouse"))
        services.locations.set_location_routing(onhand, SetLocationRouting(code=code, zones=zones))
    return tuple(SITES)


def create_items(onhand: Onhand, prefix: str, count: int, *, lot_tracked_every: int = 2) -> dict[str, bool]:
    """`count` items `{prefix}-00001`…, the first of every `lot_tracked_every` lot-tracked.

    Returns SKU -> lot-tracked.
    """
    tracked = {f"{prefix}-{n:05d}": (n - 1) % lot_tracked_every == 0 for n in range(1, count + 1)}
    for sku, lots in tracked.items():
        services.items.create_item(
            onhand,
            CreateItem(sku=sku,
            name=f"Benchmark item {sku}",
            unit="each",
            tracking="lot" if lots else "none",
            shelf_life_days=SHELF_LIFE_DAYS if lots else None),
        )
    return tracked


def split(total: int, parts: int) -> list[int]:
    """`total` in `parts` near-equal whole parts (the first ones larger)."""
    base, rest = divmod(total, parts)
    return [base + (1 if index < rest else 0) for index in range(parts)]


def stock_up(
    onhand: Onhand,
    rng: random.Random,
    *,
    supply: Mapping[str, int],
    tracked: Mapping[str, bool],
    sites: Sequence[str],
    tag: str,
) -> None:
    """Receive `supply` units of each SKU, spread over `sites` (and lots when tracked)."""
    today = onhand.now().date()
    by_site: dict[str, list[StockLine]] = defaultdict(list)
    for sku, total in supply.items():
        lots = LOTS_PER_SITE if tracked[sku] else 1
        for index, quantity in enumerate(split(total, len(sites) * lots)):
            if quantity <= 0:
                continue
            if tracked[sku]:
                # Expiry dates well ahead: every lot qualifies, FEFO decides the order.
                expiry = today + timedelta(days=rng.randint(SHELF_LIFE_DAYS // 4, SHELF_LIFE_DAYS))
                line = StockLine(sku=sku, quantity=quantity, lot=f"{tag}-{sku}-{index + 1}", expiry_date=expiry)
            else:
                line = StockLine(sku=sku, quantity=quantity)
            by_site[sites[index // lots]].append(line)
    for site, lines in by_site.items():
        for start in range(0, len(lines), RECEIPT_LINES):
            services.adjustments.post_adjustment(
                onhand,
                PostAdjustment(location=site,
                lines=lines[start : start + RECEIPT_LINES],
                reason="found",
                reference=f"{tag}-{site}-{start // RECEIPT_LINES + 1}"),
            )
