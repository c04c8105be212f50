"""The service layer: one function per business action, each its own transaction.

Every entrypoint (Python, HTTP API, CLI) calls these functions and nothing below them.
Services take a `ServiceContext` (see `context.py`; `onhand.bootstrap.open_onhand`
makes one) and plain values, and return read models from `views.py`.

    from onhand.bootstrap import open_onhand
    from onhand import services

    onhand = open_onhand("sqlite:///stock.db")
    services.items.create_item(onhand, sku="TEA-1", name="Green tea", unit="each")
"""

from onhand.services import (
    accounting,
    adjustments,
    allocation,
    backorders,
    boms,
    builds,
    bundles,
    company,
    costing,
    counts,
    demo,
    disassembly,
    genealogy,
    imports,
    integrity,
    items,
    journals,
    keys,
    landed_costs,
    locations,
    lots,
    orders,
    picking,
    postings,
    purchase_orders,
    reasons,
    receiving,
    reconciliation,
    relocations,
    returns,
    scanning,
    shipping,
    stock,
    suppliers,
    transfer_routes,
    transfers,
    transit,
    valuation,
)

__all__ = [
    "accounting",
    "adjustments",
    "allocation",
    "backorders",
    "boms",
    "builds",
    "bundles",
    "company",
    "costing",
    "counts",
    "demo",
    "disassembly",
    "genealogy",
    "imports",
    "integrity",
    "items",
    "journals",
    "keys",
    "landed_costs",
    "locations",
    "lots",
    "orders",
    "picking",
    "postings",
    "purchase_orders",
    "reasons",
    "receiving",
    "reconciliation",
    "relocations",
    "returns",
    "scanning",
    "shipping",
    "stock",
    "suppliers",
    "transfer_routes",
    "transfers",
    "transit",
    "valuation",
]
