"""`onhand init`, `onhand verify`, `onhand rebuild`: the database and the proof of its books."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.catalog.commands import UpdateCompany
from onhand.domain.errors import Conflict
from onhand.entrypoints.cli.company import print_company
from onhand.entrypoints.cli.errors import exit_code_of, fail
from onhand.entrypoints.cli.render import console, measure, table, text
from onhand.entrypoints.cli.session import redact, session
from onhand.services.views import Discrepancy, VerifyReport

# Exit code of a verify or rebuild whose books do not prove out.
NOT_OK_EXIT_CODE = 1


def init(
    ctx: typer.Context,
    timezone: Annotated[str | None, typer.Option(
        "--time-zone", "--timezone",
        help="IANA time zone of the business, e.g. America/New_York: it decides business days and expiry. "
        "Asked for on a terminal; required otherwise.")] = None,
    name: Annotated[str | None, typer.Option(help="Company name.")] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code, e.g. USD.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Set up a database that holds a company already, changing its settings (and its time "
        "zone even when postings exist).")] = False,
) -> None:
    """Create the company database (or bring its schema up to date) and set up the company.

    Refuses a database that holds a company already (anything was ever changed in it)
    unless --force: `onhand company set` changes a company's settings."""
    current = session(ctx)
    target = current.onhand  # opening migrates the schema
    if services.company.in_use(target) and not force:
        raise fail(f"database: {redact(current.database_url)} holds a company already; `onhand company set` "
                   "changes its settings, --force sets it up anew", exit_code_of(Conflict))
    if timezone is None:
        if not sys.stdin.isatty():
            raise typer.BadParameter("required when not run on a terminal (IANA name, e.g. America/New_York)",
                                     param_hint="'--time-zone'")
        timezone = typer.prompt("Time zone of the business (IANA name, e.g. America/New_York)",
                                default=services.company.get_company(target).timezone)
    company = services.company.update_company(
        target, UpdateCompany(name=name, timezone=timezone, currency=currency, confirm_timezone_change=force)
    )
    console().print(Text(f"Database ready: {redact(current.database_url)}"))
    print_company(company)


def discrepancies(title: str, rows: tuple[Discrepancy, ...], expected: str, actual: str) -> None:
    grid = table("SKU", "Location", "Lot", expected, actual, title=title, numeric=[expected, actual])
    for row in rows:
        grid.add_row(text(row.sku), text(row.location), text(row.lot), text(row.expected), text(row.actual))
    console().print(grid)


def print_verify(report: VerifyReport) -> None:
    out = console()
    out.print(Text(f"Checked {report.moves_checked} moves and {report.balances_checked} balances."))
    if report.projection_mismatches:
        discrepancies("Balances that differ from the ledger", report.projection_mismatches,
                      "Ledger", "Balance")
    if report.conservation_errors:
        grid = table("SKU", "Lot", "Sum over all locations", title="Items that do not sum to zero",
                     numeric=["Sum over all locations"])
        for sku, lot, total in report.conservation_errors:
            grid.add_row(text(sku), text(lot), measure(total, sku))
        out.print(grid)
    if report.negative_balances:
        discrepancies("Negative balances where not allowed", report.negative_balances,
                      "Minimum", "On hand")
    if report.reservation_mismatches:
        discrepancies("Reserved quantities that differ from the reservations", report.reservation_mismatches,
                      "Reservations", "Reserved")
    if report.oversold:
        discrepancies("Balances promising more than they hold", report.oversold, "On hand", "Reserved")
    for error in report.order_errors:
        out.print(Text(error, style="red"))
    if report.stored_out_of_range:
        grid = table("What", "SKU", "Location", "Lot", "Stored (millionths)",
                     title="Stored numbers that are not exact quantities within ±10^12")
        for found in report.stored_out_of_range:
            grid.add_row(text(found.what), text(found.sku), text(found.location), text(found.lot), text(found.stored))
        out.print(grid)
    if report.ok:
        out.print(Text("OK: balances match the ledger, every item sums to zero, every promise is covered.",
                       style="green"))
    else:
        out.print(Text("NOT OK: see above; `onhand rebuild` recomputes balances from the ledger.",
                       style="red"))


def verify(ctx: typer.Context) -> None:
    """Prove the books: balances == fold(ledger), conservation, no illegal negatives."""
    report = services.integrity.verify(session(ctx).onhand)
    print_verify(report)
    if not report.ok:
        raise typer.Exit(NOT_OK_EXIT_CODE)


def rebuild(ctx: typer.Context) -> None:
    """Recompute every balance's on hand from the ledger, then verify."""
    report = services.integrity.rebuild(session(ctx).onhand)
    print_verify(report)
    if not report.ok:
        raise typer.Exit(NOT_OK_EXIT_CODE)
