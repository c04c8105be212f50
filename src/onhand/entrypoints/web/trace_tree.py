"""A lot's traces as trees for the lot page: backward (what it was built from, down to the
receipts) and forward (what was built from it, up to the customers and the stock left).

The traces themselves are the services' (services/traceability/traces.py); this only
arranges their flat lists of lots, builds, receipts, deliveries and stock under each lot,
so a template can draw them as nested lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from onhand.services.traceability.views import (
    BackwardTrace,
    BuildLink,
    Delivery,
    ForwardTrace,
    Receipt,
    StockHeld,
    TracedLot,
)

# A genealogy has no cycles, but a page must end even if the data said otherwise.
MAX_DEPTH = 20
Key = tuple[str, str | None]  # an item's SKU and a lot code (None: an untracked component)


@dataclass
class TraceNode:
    sku: str
    lot: str | None
    status: str | None
    quantity: Decimal | None = None  # how much of this lot went into its parent node
    children: list[TraceNode] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    stock: list[StockHeld] = field(default_factory=list)


def _statuses(lots: tuple[TracedLot, ...]) -> dict[Key, str]:
    return {(lot.sku, lot.lot): lot.status for lot in lots}


def backward_tree(trace: BackwardTrace, sku: str, lot: str) -> TraceNode:
    """The lot, under it the lots it was built from (each with its receipts), every level down."""
    status = _statuses(trace.lots)
    parts: dict[Key, list[BuildLink]] = defaultdict(list)
    for link in trace.builds:
        parts[(link.sku, link.lot)].append(link)
    receipts: dict[Key, list[Receipt]] = defaultdict(list)
    for receipt in trace.receipts:
        receipts[(receipt.sku, receipt.lot)].append(receipt)

    def node(key: Key, quantity: Decimal | None, depth: int) -> TraceNode:
        # An untracked component (no lot) ends its branch.
        here = TraceNode(key[0], key[1], status.get(key), quantity, receipts=receipts.get(key, []))
        if key[1] is not None and depth < MAX_DEPTH:
            here.children = [node((link.component_sku, link.component_lot), link.quantity, depth + 1)
                             for link in parts.get(key, [])]
        return here

    return node((sku, lot), None, 0)


def forward_tree(trace: ForwardTrace, sku: str, lot: str) -> TraceNode:
    """The lot with its shipments and stock, under it the lots built from it, every level up."""
    status = _statuses(trace.lots)
    built: dict[tuple[str, str], list[BuildLink]] = defaultdict(list)
    for link in trace.builds:
        if link.component_lot is not None:
            built[(link.component_sku, link.component_lot)].append(link)
    deliveries: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    for delivery in trace.deliveries:
        deliveries[(delivery.sku, delivery.lot)].append(delivery)
    stock: dict[tuple[str, str], list[StockHeld]] = defaultdict(list)
    for held in trace.stock:
        stock[(held.sku, held.lot)].append(held)

    def node(key: tuple[str, str], quantity: Decimal | None, depth: int) -> TraceNode:
        here = TraceNode(key[0], key[1], status.get(key), quantity, deliveries=deliveries.get(key, []),
                         stock=stock.get(key, []))
        if depth < MAX_DEPTH:
            here.children = [node((link.sku, link.lot), link.quantity, depth + 1)
                             for link in built.get(key, [])]
        return here

    return node((sku, lot), None, 0)
