"""The service layer: one function per business action, each its own transaction.

Every entrypoint (Python, HTTP API, CLI) calls these functions and nothing below them.
Services take a `ServiceContext` (see `context.py`; `onhand.bootstrap.open_onhand`
makes one) and plain values — a write takes its command, a frozen record from
`domain/<area>/commands.py` — and return read models.

The services live by business area (docs/architecture.md has the map): `catalog`, `ledger`,
`valuation`, `assemblies`, `transfers`, `purchasing`, `orders`, `accounting`, `access`, `feed`,
`reports`, `planning`, `tools`, `channels`, `webhooks` and `worker`, each a package of small
modules; `context`, `resolve`, `audit`, `limits` and `views` are what every area shares. For the
Python face, each service module is also reachable here by its own name:

    from onhand.bootstrap import open_onhand
    from onhand import services

    onhand = open_onhand("sqlite:///stock.db")
    services.items.create_item(onhand, CreateItem(sku="TEA-1", name="Green tea", unit="each"))
    services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("TEA-1", Decimal(2))]))

Each is imported when first asked for, so that a command running one service loads only
what that one needs (`onhand verify` started in 0.9 s with all of them, 0.77 s without).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names as `_MODULES`, for type checkers and editors (a test keeps them equal)
    from onhand.services import audit
    from onhand.services.access import keys, users
    from onhand.services.accounting import charts as account_charts
    from onhand.services.accounting import journal_pushes, journals, reconciliation
    from onhand.services.accounting import nightly as nightly_journals
    from onhand.services.accounting import settings as accounting_settings
    from onhand.services.assemblies import boms, builds, bundles, disassembly, genealogy
    from onhand.services.catalog import archiving, company, items, locations, lots, reasons, scanning
    from onhand.services.channels import catch_up as channel_catch_up
    from onhand.services.channels import channels
    from onhand.services.channels import exceptions as channel_exceptions
    from onhand.services.channels import inbox as channel_inbox
    from onhand.services.channels import pushes as channel_pushes
    from onhand.services.channels import worker as channel_worker
    from onhand.services.feed import availability as availability_feed
    from onhand.services.feed import events, followers
    from onhand.services.ledger import adjustments, counts, integrity, postings, relocations
    from onhand.services.orders import (
        allocation,
        backorders,
        customers,
        picking,
        returns,
        sales_orders,
        shipping,
        waves,
    )
    from onhand.services.planning import alerts as planning_alerts
    from onhand.services.planning import cycle_counts, forecasts, suggestions
    from onhand.services.planning import documents as suggested_documents
    from onhand.services.planning import rules as reorder_rules
    from onhand.services.purchasing import (
        landed_costs,
        purchase_orders,
        receiving,
        supplier_returns,
        supplier_shipments,
        suppliers,
    )
    from onhand.services.reports import expiry, exports, stock, trends
    from onhand.services.tools import demo, imports, rehearsal
    from onhand.services.traceability import lot_search, recalls, traces
    from onhand.services.transfers import routes as transfer_routes
    from onhand.services.transfers import transfer_orders, transit
    from onhand.services.valuation import costing_methods as costing
    from onhand.services.valuation import opening as opening_valuation
    from onhand.services.valuation import price_differences
    from onhand.services.valuation import reports as valuation_reports
    from onhand.services.webhooks import deliveries as webhook_deliveries
    from onhand.services.webhooks import sending as webhook_sending
    from onhand.services.webhooks import subscriptions as webhooks
    from onhand.services.worker import loop as worker

# Each service module's name here -> where it lives under `onhand.services`.
_MODULES = {
    "account_charts": "accounting.charts",
    "accounting_settings": "accounting.settings",
    "adjustments": "ledger.adjustments",
    "allocation": "orders.allocation",
    "archiving": "catalog.archiving",
    "audit": "audit",
    "availability_feed": "feed.availability",
    "backorders": "orders.backorders",
    "boms": "assemblies.boms",
    "builds": "assemblies.builds",
    "bundles": "assemblies.bundles",
    "channel_catch_up": "channels.catch_up",
    "channel_exceptions": "channels.exceptions",
    "channel_inbox": "channels.inbox",
    "channel_pushes": "channels.pushes",
    "channel_worker": "channels.worker",
    "channels": "channels.channels",
    "company": "catalog.company",
    "costing": "valuation.costing_methods",
    "counts": "ledger.counts",
    "customers": "orders.customers",
    "cycle_counts": "planning.cycle_counts",
    "demo": "tools.demo",
    "disassembly": "assemblies.disassembly",
    "events": "feed.events",
    "expiry": "reports.expiry",
    "exports": "reports.exports",
    "followers": "feed.followers",
    "forecasts": "planning.forecasts",
    "genealogy": "assemblies.genealogy",
    "imports": "tools.imports",
    "integrity": "ledger.integrity",
    "items": "catalog.items",
    "journal_pushes": "accounting.journal_pushes",
    "journals": "accounting.journals",
    "keys": "access.keys",
    "landed_costs": "purchasing.landed_costs",
    "locations": "catalog.locations",
    "lot_search": "traceability.lot_search",
    "lots": "catalog.lots",
    "nightly_journals": "accounting.nightly",
    "opening_valuation": "valuation.opening",
    "picking": "orders.picking",
    "planning_alerts": "planning.alerts",
    "postings": "ledger.postings",
    "price_differences": "valuation.price_differences",
    "purchase_orders": "purchasing.purchase_orders",
    "reasons": "catalog.reasons",
    "recalls": "traceability.recalls",
    "receiving": "purchasing.receiving",
    "reconciliation": "accounting.reconciliation",
    "rehearsal": "tools.rehearsal",
    "relocations": "ledger.relocations",
    "reorder_rules": "planning.rules",
    "returns": "orders.returns",
    "sales_orders": "orders.sales_orders",
    "scanning": "catalog.scanning",
    "shipping": "orders.shipping",
    "stock": "reports.stock",
    "suggested_documents": "planning.documents",
    "suggestions": "planning.suggestions",
    "supplier_returns": "purchasing.supplier_returns",
    "supplier_shipments": "purchasing.supplier_shipments",
    "suppliers": "purchasing.suppliers",
    "traces": "traceability.traces",
    "transfer_orders": "transfers.transfer_orders",
    "transfer_routes": "transfers.routes",
    "transit": "transfers.transit",
    "trends": "reports.trends",
    "users": "access.users",
    "valuation_reports": "valuation.reports",
    "waves": "orders.waves",
    "webhook_deliveries": "webhooks.deliveries",
    "webhook_sending": "webhooks.sending",
    "webhooks": "webhooks.subscriptions",
    "worker": "worker.loop",
}

__all__ = sorted(_MODULES)

# Service modules named as an area's package: importing the package (anything in it) would
# set the package here under that name, before this face is asked for it. Imported now, as
# before, they keep the name.
AS_AREAS = ("channels", "webhooks", "worker")
for _name in AS_AREAS:
    globals()[_name] = import_module(f"{__name__}.{_MODULES[_name]}")


def __getattr__(name: str) -> Any:
    where = _MODULES.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = globals()[name] = import_module(f"{__name__}.{where}")
    return module


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})
