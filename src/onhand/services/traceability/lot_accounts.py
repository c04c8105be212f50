"""Lot accounts and customer exposures: what a forward trace adds up to, per traced lot
(where every unit went, directly and inside the products built from it) and per customer
(what they hold of each traced lot)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from onhand.domain.catalog.locations import LocationKind
from onhand.domain.traceability.shares import as_decimal
from onhand.services.traceability.views import CustomerExposure, ForwardTrace, LotAccount

ZERO = Decimal(0)


# Where a unit of a lot may be, by the kind of location at the other end of its moves.
_VIRTUAL_ROLES = {
    LocationKind.SUPPLIER: "supplier", LocationKind.CUSTOMER: "customer", LocationKind.ADJUSTMENT: "adjustment",
    LocationKind.PRODUCTION: "production", LocationKind.SCRAP: "scrap",
}


def lot_accounts(origins: list[Any], share: dict[int, dict[int, Fraction]], moves: list[Any],
                 places: dict[int, Any]) -> list[LotAccount]:
    # Per lot: net quantity that went into each role (into minus out of it), and in stock.
    net: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for m in moves:
        source, target = places[m.from_location_id], places[m.to_location_id]
        for place, sign in ((target, 1), (source, -1)):
            if place.kind is LocationKind.TRANSIT:
                net[m.lot_id]["transit"] += sign * m.quantity
            elif place.is_internal:
                net[m.lot_id]["stock"] += sign * m.quantity
            else:
                net[m.lot_id][_VIRTUAL_ROLES[place.kind]] += sign * m.quantity
    accounts = []
    for origin in origins:
        own = net[origin.lot_id]
        inside: dict[str, Fraction] = defaultdict(Fraction)
        for lot_id, part in share[origin.lot_id].items():
            if lot_id == origin.lot_id:
                continue
            for role in ("customer", "stock", "transit", "scrap", "adjustment"):
                inside[role] += part * Fraction(net[lot_id][role])
        received, sent_back = _split(own["supplier"])
        found, lost = _split(own["adjustment"])
        accounts.append(LotAccount(
            sku=origin.sku, lot=origin.lot_code, received=received, found=found,
            with_customers=own["customer"], on_hand=own["stock"], in_transit=own["transit"],
            consumed=own["production"], scrapped=own["scrap"], lost=lost, returned_to_supplier=sent_back,
            inside_products_with_customers=as_decimal(inside["customer"]),
            inside_products_on_hand=as_decimal(inside["stock"]),
            inside_products_in_transit=as_decimal(inside["transit"]),
            inside_products_scrapped=as_decimal(inside["scrap"] + inside["adjustment"]),
        ))
    return accounts


def _split(net_into_virtual: Decimal) -> tuple[Decimal, Decimal]:
    """(came from it, went to it) from the net quantity that went into a virtual place."""
    return (-net_into_virtual, ZERO) if net_into_virtual < 0 else (ZERO, net_into_virtual)


def exposures(trace: ForwardTrace) -> tuple[CustomerExposure, ...]:
    """Per customer and traced lot: what they hold of it, directly and inside products."""
    named = {(o.sku, o.lot) for o in trace.origins}
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in trace.deliveries:
        sign = 1 if d.kind == "shipment" else -1
        who = d.customer_code or f"name:{d.customer or ''}"
        for h in d.holds:
            g = groups.setdefault((who, h.sku, h.lot), {
                "d": d, "orders": set(), "direct": ZERO, "inside": ZERO, "first": d.at, "last": d.at})
            g["orders"].add(d.order)
            key = "direct" if (d.sku, d.lot) == (h.sku, h.lot) and (d.sku, d.lot) in named else "inside"
            g[key] += sign * h.quantity
            if d.kind == "shipment":
                g["first"], g["last"] = min(g["first"], d.at), max(g["last"], d.at)
    result = []
    for (_, sku, lot), g in groups.items():
        d = g["d"]
        total = g["direct"] + g["inside"]
        result.append(CustomerExposure(
            customer_code=d.customer_code, customer=d.customer, email=d.email, orders=tuple(sorted(g["orders"])),
            sku=sku, lot=lot, direct=g["direct"], inside_products=g["inside"], total=total,
            first_shipped=g["first"], last_shipped=g["last"],
        ))
    result.sort(key=lambda e: (e.sku, e.lot, -e.total, e.customer or "", e.customer_code or ""))
    return tuple(result)
