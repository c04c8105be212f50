"""The `onhand` application: the global options, and every command group wired in.

    onhand --database-url sqlite:///stock.db stock --sku MUG-12OZ

The database is opened when a command first needs it, never at import time.
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand.config import Settings
from onhand.entrypoints.cli import accounting_connect, admin, audit, builds, postings, server, stock, worker
from onhand.entrypoints.cli.amazon import amazon_app
from onhand.entrypoints.cli.assemblies import boms_app, bundles_app
from onhand.entrypoints.cli.channels import channels_app
from onhand.entrypoints.cli.charts import chart_app
from onhand.entrypoints.cli.company import company_app, units_app
from onhand.entrypoints.cli.cycle_counts import abc, cycle_counts_app
from onhand.entrypoints.cli.errors import OnhandGroup
from onhand.entrypoints.cli.exports import export_app
from onhand.entrypoints.cli.feed import events_app, followers_app
from onhand.entrypoints.cli.imports import import_app
from onhand.entrypoints.cli.items import items_app
from onhand.entrypoints.cli.journals import accounting_app, journal_app
from onhand.entrypoints.cli.keys import keys_app
from onhand.entrypoints.cli.locations import locations_app
from onhand.entrypoints.cli.lots import lots_app
from onhand.entrypoints.cli.orders import orders_app
from onhand.entrypoints.cli.planning import planning_app
from onhand.entrypoints.cli.postings import NUMBERS_MAY_BE_NEGATIVE
from onhand.entrypoints.cli.purchasing import purchase_orders_app, suppliers_app
from onhand.entrypoints.cli.receiving import receipts_app
from onhand.entrypoints.cli.receiving import scan as scan_command
from onhand.entrypoints.cli.session import Session
from onhand.entrypoints.cli.supplier_shipments import shipments_app
from onhand.entrypoints.cli.traceability import customers_app, expired, expiring, recall_app, trace_app
from onhand.entrypoints.cli.transfers import transfers_app
from onhand.entrypoints.cli.users import users_app
from onhand.entrypoints.cli.valuation import valuation_app
from onhand.entrypoints.cli.webhooks import webhooks_app

app = typer.Typer(
    name="onhand",
    cls=OnhandGroup,
    help="Onhand: the operational source of truth for stock.",
    no_args_is_help=True,
    # Locals may hold secrets (API keys, database passwords): never print them.
    pretty_exceptions_show_locals=False,
)


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
) -> None:
    """Onhand: where stock is, how much can be sold, and how it got there."""
    current = Session(Settings.from_env(database_url).database_url)
    ctx.obj = current
    ctx.call_on_close(current.close)


app.command("init")(admin.init)
app.add_typer(company_app, name="company")
app.add_typer(units_app, name="units")
app.add_typer(items_app, name="items")
app.add_typer(locations_app, name="locations")
app.add_typer(lots_app, name="lots")
app.command("adjust", context_settings=NUMBERS_MAY_BE_NEGATIVE)(postings.adjust)
app.command("count")(postings.count)
app.command("move")(postings.move)
app.command("stock")(stock.stock)
app.command("history")(stock.history)
app.add_typer(orders_app, name="orders")
app.add_typer(suppliers_app, name="suppliers")
app.add_typer(purchase_orders_app, name="purchase-orders")
app.add_typer(purchase_orders_app, name="po", hidden=True)  # short for purchase-orders
app.add_typer(receipts_app, name="receipts")
app.add_typer(shipments_app, name="supplier-shipments")
app.add_typer(valuation_app, name="valuation")
accounting_app.add_typer(chart_app, name="chart")
accounting_app.command("connect")(accounting_connect.connect_command)
app.add_typer(accounting_app, name="accounting")
app.add_typer(journal_app, name="journal")
app.command("scan")(scan_command)
app.add_typer(bundles_app, name="bundles")
app.add_typer(boms_app, name="boms")
app.add_typer(builds.builds_app, name="builds")
app.command("disassemble")(builds.disassemble)
app.command("genealogy")(builds.genealogy)
app.add_typer(customers_app, name="customers")
app.add_typer(channels_app, name="channels")
app.add_typer(amazon_app, name="amazon")
app.add_typer(trace_app, name="trace")
app.add_typer(recall_app, name="recalls")
app.command("expiring")(expiring)
app.command("expired")(expired)
app.add_typer(transfers_app, name="transfers")
planning_app.command("abc")(abc)
app.add_typer(planning_app, name="planning")
app.add_typer(cycle_counts_app, name="cycle-counts")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.command("verify")(admin.verify)
app.command("rebuild")(admin.rebuild)
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.command("audit")(audit.audit)
app.add_typer(events_app, name="events")
app.add_typer(followers_app, name="followers")
app.add_typer(webhooks_app, name="webhooks")
app.command("serve")(server.serve)
app.command("demo")(server.demo)
app.command("worker")(worker.worker)


def run() -> None:
    """The console script `onhand`."""
    app()
