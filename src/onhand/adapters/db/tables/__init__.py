"""The tables, as SQLAlchemy Core metadata, one module per area. Only adapters may import this package.

Every table registers itself on the one `metadata` (Alembic compares migrations with it);
add a module for a new area and import it here.
"""

from onhand.adapters.db.tables import (
    accounting,  # noqa: F401  (registers its tables)
    assemblies,  # noqa: F401  (registers its tables)
    audit,  # noqa: F401  (registers its tables)
    channel_cursors,  # noqa: F401  (registers its tables)
    channels,  # noqa: F401  (registers its tables)
    costing_changes,  # noqa: F401  (registers its tables)
    cycle_counts,  # noqa: F401  (registers its tables)
    feed,  # noqa: F401  (registers its tables)
    journal_pushes,  # noqa: F401  (registers its tables)
    opening_values,  # noqa: F401  (registers its tables)
    planning,  # noqa: F401  (registers its tables)
    purchasing,  # noqa: F401  (registers its tables)
    supplier_returns,  # noqa: F401  (registers its tables)
    supplier_shipments,  # noqa: F401  (registers its tables)
    traceability,  # noqa: F401  (registers its tables)
    users,  # noqa: F401  (registers its tables)
    valuation,  # noqa: F401  (registers its tables)
    webhooks,  # noqa: F401  (registers its tables)
)
from onhand.adapters.db.tables.base import Id, metadata
from onhand.adapters.db.tables.core import (
    api_keys,
    balances,
    company,
    idempotency_keys,
    import_runs,
    items,
    locations,
    lots,
    moves,
    postings,
    reason_codes,
    units,
)
from onhand.adapters.db.tables.orders import (
    package_contents,
    packages,
    reservations,
    return_lines,
    returns,
    sales_order_lines,
    sales_orders,
    shipment_lines,
    shipments,
)

__all__ = [
    "Id",
    "api_keys",
    "balances",
    "company",
    "idempotency_keys",
    "import_runs",
    "items",
    "locations",
    "lots",
    "metadata",
    "moves",
    "package_contents",
    "packages",
    "postings",
    "reason_codes",
    "reservations",
    "return_lines",
    "returns",
    "sales_order_lines",
    "sales_orders",
    "shipment_lines",
    "shipments",
    "units",
]
