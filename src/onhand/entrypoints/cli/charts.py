"""`onhand accounting chart import FILE` and `onhand accounting chart check`: the chart of
accounts loaded from the accounting system, and the mapped codes it cannot take."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from onhand import services
from onhand.domain.accounting.commands import ImportChart
from onhand.entrypoints.cli.imports import read
from onhand.entrypoints.cli.order_options import IdempotencyKey
from onhand.entrypoints.cli.render import console, fields, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.accounting.charts import ChartCheck

NOT_READY_EXIT_CODE = 3  # as posting a day with these codes would fail (InvalidInput)

chart_app = typer.Typer(help="The chart of accounts from Xero or QuickBooks, and the check of the mapped codes.",
                        no_args_is_help=True)


@chart_app.command("import")
def import_chart(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help=(
        "Xero: Accounting › Chart of accounts › Export (*Code,*Name,*Type,*Tax Code,…). QuickBooks: the "
        "account list as CSV (Name/Account, Type, Account #; an Id column lets pushes use account Ids)."))],
    target: Annotated[str | None, typer.Option(help="xero or quickbooks (default: the company's system).")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Load the chart of accounts (replacing the one loaded before) and check the mapped codes against it."""
    found = services.account_charts.import_chart(onhand(ctx), ImportChart(text=read(file), target=target),
                                                 idempotency_key=idempotency_key)
    print_check(found)


@chart_app.command("fetch")
def fetch(
    ctx: typer.Context,
    target: Annotated[str, typer.Option(help="xero or quickbooks: a system configured for pushes.")] = "xero",
) -> None:
    """Load the chart of accounts from a connected system through its API (replacing the one loaded before)."""
    print_check(services.account_charts.fetch_chart(onhand(ctx), target=target))


@chart_app.command("check")
def check(ctx: typer.Context) -> None:
    """Every mapped code the loaded chart cannot take (exit 3 if any: posting a day would be refused)."""
    print_check(services.account_charts.check_chart(onhand(ctx)))


def print_check(found: ChartCheck) -> None:
    if found.target is None:
        console().print(text("No chart of accounts is loaded: codes are not checked "
                             "(onhand accounting chart import FILE)."))
        return
    console().print(fields([
        ("Chart", found.target),
        ("Loaded", found.loaded_at or "-"),
        ("Accounts", str(found.accounts)),
        ("Ready", "yes" if found.ready else "no"),
    ], title="Chart of accounts"))
    if found.problems:
        grid = table("Setting", "Code", "Problem", title="Mapped codes the chart cannot take")
        for problem in found.problems:
            grid.add_row(text(problem.setting), text(problem.code), text(problem.reason))
        console().print(grid)
        raise typer.Exit(NOT_READY_EXIT_CODE)
