"""The `onhand` application: the global options, and every command wired in.

    onhand --database-url sqlite:///stock.db stock --sku MUG-12OZ

Commands are imported when run, never for `onhand --help` or `--version` (cli/lazy.py);
the database is opened when a command first needs it, never at import time.
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand.entrypoints.cli.errors import OnhandGroup
from onhand.entrypoints.cli.lazy import Lazy

# A negative quantity (`onhand adjust NY MUG -5`) must read as an argument, not an option.
NUMBERS_MAY_BE_NEGATIVE = {"ignore_unknown_options": True}

# Every command: its name, where it lives, its line in `onhand --help` (in this order).
COMMANDS = {
    "init": Lazy("admin:init", "Create the company database (or bring its schema up to date) and set up the company."),
    "adjust": Lazy("postings:adjust", "Post stock found (+) or lost (-) at a location, with a reason.",
                   context_settings=NUMBERS_MAY_BE_NEGATIVE),
    "count": Lazy("postings:count", "Record a stock count: what was counted becomes on hand; differences are posted."),
    "move": Lazy("postings:move", "Move stock directly between internal locations (bin to bin, site to site)."),
    "stock": Lazy("stock:stock", "On hand, reserved and available over internal locations."),
    "history": Lazy("stock:history", "Moves, newest first."),
    "scan": Lazy("receiving:scan", "Show what a scanned barcode names: item (by GTIN), lot, expiry, serial and count."),
    "disassemble": Lazy("builds:disassemble", "Take built items apart into their components (one posting)."),
    "genealogy": Lazy("builds:genealogy", "What went into a lot, and which lots it went into."),
    "expiring": Lazy("traceability:expiring", "Stock of lots expiring soon, and of expired lots still on hand."),
    "expired": Lazy("traceability:expired", "Stock of expired lots still on hand."),
    "verify": Lazy("admin:verify", "Prove the books: balances == fold(ledger), conservation, no illegal negatives."),
    "rebuild": Lazy("admin:rebuild", "Recompute every balance's on hand from the ledger, then verify."),
    "audit": Lazy("audit:audit", "The audit log, newest first: every change, who made it, and what changed."),
    "serve": Lazy("server:serve", "Run the HTTP API (docs at /docs)."),
    "demo": Lazy("server:demo", "Load the demo company into its own database, create an admin key and a demo "
                 "sign-in, serve."),
    "worker": Lazy("worker:worker",
                   "Run the followers and senders (webhook deliveries, channel pushes) until stopped."),
    "company": Lazy("company:company_app", "The company: name, time zone (business days, expiry) and currency."),
    "units": Lazy("company:units_app", "Units of measure (each, kg, ...) and how many decimals they allow."),
    "items": Lazy("items:items_app", "Items (SKUs): what is stocked, in which unit, how it is tracked."),
    "locations": Lazy("locations:locations_app",
                      "Locations: internal places that hold stock and the virtual other sides of moves."),
    "lots": Lazy("lots:lots_app", "Lots and serial numbers: define, list, quarantine, release, recall."),
    "orders": Lazy("orders:orders_app",
                   "Sales orders: create, allocate (routed, FEFO), pick, pack, ship, return, cancel."),
    "suppliers": Lazy("purchasing:suppliers_app", "Suppliers and the prices they charge."),
    "purchase-orders": Lazy("purchasing:purchase_orders_app",
                            "Purchase orders: draft, place, receive, close, cancel."),
    "po": Lazy("purchasing:purchase_orders_app", "Purchase orders: draft, place, receive, close, cancel.",
               hidden=True),  # short for purchase-orders
    "receipts": Lazy("receiving:receipts_app", "Receipts against purchase orders, and their landed costs."),
    "supplier-shipments": Lazy("supplier_shipments:shipments_app",
                               "Supplier shipments (ASNs): purchase order goods in transit."),
    "valuation": Lazy("valuation:valuation_app",
                      "Costing methods (FIFO, LIFO, moving average, by lot) and the value of stock."),
    "accounting": Lazy("journals:accounting_app",
                       "Accounting settings: account codes, categories, tracking, lock date."),
    "journal": Lazy("journals:journal_app", "Daily summary journals: show, post (freeze), export, reconcile."),
    "bundles": Lazy("assemblies:bundles_app", "Bundles (virtual kits): components and availability."),
    "boms": Lazy("assemblies:boms_app", "Bills of materials: what a built item consumes; how many can be built."),
    "builds": Lazy("builds:builds_app", "Build orders: make assemblies from their bills of materials."),
    "customers": Lazy("customers:customers_app", "Customers: add, list, show, change."),
    "channels": Lazy("channels:channels_app", "Sales channels (Shopify, Amazon, generic): add, map, exceptions, sync."),
    "amazon": Lazy("amazon:amazon_app", "Amazon (Selling Partner API): orders in, quantities out, FBA stock."),
    "trace": Lazy("traceability:trace_app",
                  "Trace lots forward (who received them) and backward (where they came from)."),
    "recalls": Lazy("recalls:recall_app", "Recall reports, and recalls or quarantines in one action."),
    "transfers": Lazy("transfers:transfers_app",
                      "Transfer orders: stock sent between sites through transit (ship, receive, write off)."),
    "planning": Lazy("planning:planning_app", "Replenishment: reorder rules, demand, projected stock, purchase "
                     "and transfer suggestions, alerts."),
    "cycle-counts": Lazy("cycle_counts:cycle_counts_app",
                         "Cycle counts by plan: what is due, count sessions (blind), review and post."),
    "import": Lazy("imports:import_app",
                   "Import CSV files: items, locations, opening stock. All or nothing unless --policy good-rows."),
    "export": Lazy("exports:export_app",
                   "Export CSV: items, locations, stock levels, movements, orders (to stdout or --output)."),
    "keys": Lazy("keys:keys_app", "API keys: add (the secret is shown once), list, update, rotate, revoke."),
    "users": Lazy("users:users_app", "User accounts of the web app: add, disable, list."),
    "events": Lazy("feed:events_app", "The change feed: every change other systems care about."),
    "followers": Lazy("feed:followers_app", "Followers: consumers of the change feed, exactly once."),
    "webhooks": Lazy("webhooks:webhooks_app",
                     "Outbound webhooks: subscriptions to the change feed, the delivery log, re-send."),
}


class OnhandCli(OnhandGroup):
    lazy_commands = COMMANDS
    without_data = frozenset({
        "onhand serve", "onhand demo", "onhand worker", "onhand amazon worker", "onhand followers run",
        "onhand amazon sync", "onhand amazon backfill", "onhand amazon fba-sync", "onhand amazon reconcile",
        "onhand events tail",  # JSON already, one event a line
    })


app = typer.Typer(
    name="onhand",
    cls=OnhandCli,
    help="Onhand: the operational source of truth for stock.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Locals may hold secrets (API keys, database passwords): never print them.
    pretty_exceptions_show_locals=False,
)


def print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version

        typer.echo(f"onhand {version('onhand')}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="ONHAND_DATABASE_URL",
            help="sqlite:///path/to/file.db or postgresql://user@host/db "
            "(default: a SQLite file in your user data directory).",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=print_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Onhand: where stock is, how much can be sold, and how it got there."""
    from onhand.entrypoints.cli.session import Session

    current = Session(database_url)
    ctx.obj = current
    ctx.call_on_close(current.close)


def run() -> None:
    """The console script `onhand`."""
    app()
