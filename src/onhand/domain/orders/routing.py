"""Order routing: which site(s) fulfil an order. One documented, configurable policy.

1. Prefer one site that can ship the whole order.
2. Among those, the nearest to the ship-to address: first by zone (a postcode-prefix
   zone beats a region, a region beats the country, the country beats elsewhere), then
   by great-circle distance when both sides have coordinates.
3. Ties go to the site with the lower priority number, then to the code.
4. Only when no single site can ship everything is the order split: sites are taken
   nearest first, each taking what it can of what is still open, until the order is
   covered or stock runs out (the rest is backordered).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ShipTo:
    country: str | None = None
    region: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Site:
    id: int
    code: str
    priority: int = 100
    country: str | None = None
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    # Zones the site serves first: "US", "US-CA" (country-region) or "US:90" (postcode prefix).
    zones: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Assignment:
    item_id: int
    site_id: int
    quantity: Decimal


@dataclass(frozen=True)
class RoutingPlan:
    assignments: tuple[Assignment, ...]
    split: bool
    explanation: str


def _same(a: str | None, b: str | None) -> bool:
    """Case-insensitive equality of two codes that are both given."""
    if not a or not b:
        return False
    return a.strip().upper() == b.strip().upper()


def zone_tier(site: Site, ship_to: ShipTo) -> tuple[int, int]:
    """(tier, -prefix length): 0 postcode zone, 1 region, 2 country, 3 elsewhere."""
    best = (3, 0)
    postcode = (ship_to.postcode or "").replace(" ", "").upper()
    for zone in site.zones:
        zone = zone.strip().upper()
        if ":" in zone:
            country, prefix = zone.split(":", 1)
            if _same(country, ship_to.country) and prefix and postcode.startswith(prefix):
                best = min(best, (0, -len(prefix)))
        elif "-" in zone:
            country, region = zone.split("-", 1)
            if _same(country, ship_to.country) and _same(region, ship_to.region):
                best = min(best, (1, 0))
        elif _same(zone, ship_to.country):
            best = min(best, (2, 0))
    if _same(site.country, ship_to.country):
        best = min(best, (1, 0) if _same(site.region, ship_to.region) else (2, 0))
    return best


def distance_km(site: Site, ship_to: ShipTo) -> float:
    if None in (site.latitude, site.longitude, ship_to.latitude, ship_to.longitude):
        return math.inf
    lat1, lon1, lat2, lon2 = map(
        math.radians, (site.latitude, site.longitude, ship_to.latitude, ship_to.longitude)
    )
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearness(site: Site, ship_to: ShipTo) -> tuple[int, int, float, int, str]:
    tier, prefix = zone_tier(site, ship_to)
    return (tier, prefix, distance_km(site, ship_to), site.priority, site.code)


def route(
    needs: Mapping[int, Decimal],
    available: Mapping[int, Mapping[int, Decimal]],
    sites: Sequence[Site],
    ship_to: ShipTo,
) -> RoutingPlan:
    """Assign each item's need (item id -> quantity) to sites (site id -> item id -> free)."""
    ranked = sorted(sites, key=lambda s: nearness(s, ship_to))
    wanted = {item: qty for item, qty in needs.items() if qty > 0}
    for site in ranked:
        stock = available.get(site.id, {})
        if all(stock.get(item, Decimal(0)) >= qty for item, qty in wanted.items()):
            return RoutingPlan(
                tuple(Assignment(item, site.id, qty) for item, qty in wanted.items()),
                split=False,
                explanation=f"{site.code} can ship the whole order and is the nearest that can",
            )
    open_needs = dict(wanted)
    assignments = []
    for site in ranked:
        stock = available.get(site.id, {})
        for item, qty in open_needs.items():
            take = min(qty, stock.get(item, Decimal(0)))
            if take > 0:
                assignments.append(Assignment(item, site.id, take))
                open_needs[item] = qty - take
    used = sorted({a.site_id for a in assignments})
    codes = [s.code for s in ranked if s.id in used]
    short = any(qty > 0 for qty in open_needs.values())
    explanation = (
        "no single location can ship the whole order; split across " + ", ".join(codes)
        if len(used) > 1
        else (f"only {codes[0]} has stock" if codes else "no location has stock")
    )
    if short:
        explanation += "; the rest is backordered"
    return RoutingPlan(tuple(assignments), split=len(used) > 1, explanation=explanation)
