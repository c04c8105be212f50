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
"""

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
from onhand.services.orders import allocation, backorders, customers, picking, returns, sales_orders, shipping, waves
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

__all__ = [
    "account_charts",
    "accounting_settings",
    "adjustments",
    "allocation",
    "archiving",
    "audit",
    "availability_feed",
    "backorders",
    "boms",
    "builds",
    "bundles",
    "channel_catch_up",
    "channel_exceptions",
    "channel_inbox",
    "channel_pushes",
    "channel_worker",
    "channels",
    "company",
    "costing",
    "counts",
    "customers",
    "cycle_counts",
    "demo",
    "disassembly",
    "events",
    "expiry",
    "exports",
    "followers",
    "forecasts",
    "genealogy",
    "imports",
    "integrity",
    "items",
    "journal_pushes",
    "journals",
    "keys",
    "landed_costs",
    "locations",
    "lot_search",
    "lots",
    "nightly_journals",
    "opening_valuation",
    "picking",
    "planning_alerts",
    "postings",
    "price_differences",
    "purchase_orders",
    "reasons",
    "recalls",
    "receiving",
    "reconciliation",
    "rehearsal",
    "relocations",
    "reorder_rules",
    "returns",
    "sales_orders",
    "scanning",
    "shipping",
    "stock",
    "suggested_documents",
    "suggestions",
    "supplier_returns",
    "supplier_shipments",
    "suppliers",
    "traces",
    "transfer_orders",
    "transfer_routes",
    "transit",
    "trends",
    "users",
    "valuation_reports",
    "waves",
    "webhook_deliveries",
    "webhook_sending",
    "webhooks",
    "worker",
]
