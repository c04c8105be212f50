"""`onhand accounting settings` and `onhand journal list|show|post|export|reconcile`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from onhand import services
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings, read_lock_date
from onhand.entrypoints.cli.accounting_connect import connect_command
from onhand.entrypoints.cli.charts import chart_app
from onhand.entrypoints.cli.render import amount, console, fields, moment, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.accounting.journal_book import JournalView
from onhand.services.accounting.journals import parse_day
from onhand.services.accounting.settings import AccountingSettings

accounting_app = typer.Typer(help="Accounting settings: account codes, categories, tracking, lock date.",
                             no_args_is_help=True)
journal_app = typer.Typer(help="Daily summary journals: show, post (freeze), export, reconcile.",
                          no_args_is_help=True)


def _pairs(values: list[str] | None, field: str) -> dict[str, str]:
    found = {}
    for value in values or []:
        key, sep, code = value.partition("=")
        if not sep:
            raise typer.BadParameter(f"{value!r}: use ROLE=CODE", param_hint=f"--{field}")
        found[key.strip()] = code.strip()
    return found


def _print_settings(settings: AccountingSettings) -> None:
    console().print(fields([
        ("Currency", settings.currency),
        ("Track locations", "yes" if settings.track_locations else "no"),
        ("Lock date", settings.lock_date.isoformat() if settings.lock_date else "-"),
        ("System", settings.target),
        ("Region", settings.region or "INT"),
        ("Xero CSV tax rate", settings.tax_rate),
        ("Xero CSV dates", settings.date_format),
    ], title="Accounting"))
    grid = table("Role", "Code", *sorted(settings.categories), title="Account codes")
    for role, code in settings.accounts.items():
        grid.add_row(text(role), text(code), *[text(settings.categories[c].get(role, "")) for c in
                                               sorted(settings.categories)])
    console().print(grid)


@accounting_app.command("settings")
def settings(
    ctx: typer.Context,
    account: Annotated[list[str] | None, typer.Option(help="ROLE=CODE, the default code of a role (repeat).")] = None,
    category: Annotated[
        str | None, typer.Option(help="With --category-account: the item category whose codes to set.")
    ] = None,
    category_account: Annotated[
        list[str] | None, typer.Option(help="ROLE=CODE for --category (repeat; none given: drop its codes).")
    ] = None,
    track_locations: Annotated[
        bool | None, typer.Option("--track-locations/--no-track-locations", help="Journal lines per location.")
    ] = None,
    lock_date: Annotated[str | None, typer.Option(help='YYYY-MM-DD; "" removes the lock date.')] = None,
    currency: Annotated[str | None, typer.Option(help="ISO code; only before any move is valued.")] = None,
    target: Annotated[str | None, typer.Option(help="xero or quickbooks: whose standard codes are the "
                                                    "defaults.")] = None,
    region: Annotated[str | None, typer.Option(help="UK, AU, NZ, US, CA or INT: the Xero CSV's defaults.")] = None,
    tax_rate: Annotated[str | None, typer.Option(help='The Xero CSV\'s tax rate name; "" the region\'s.')] = None,
    date_format: Annotated[str | None, typer.Option(help='dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd; "" the '
                                                         "region's.")] = None,
) -> None:
    """Show the accounting settings, or change those given."""
    service = onhand(ctx)
    categories = {category: _pairs(category_account, "category-account")} if category is not None else None
    options = (target, region, tax_rate, date_format)
    if any(v is not None for v in (account, categories, track_locations, lock_date, currency, *options)):
        lock, remove_lock = read_lock_date(lock_date)
        found = services.accounting_settings.update_accounting_settings(
            service, UpdateAccountingSettings(
                accounts=_pairs(account, "account") or None, categories=categories, track_locations=track_locations,
                lock_date=lock, remove_lock_date=remove_lock, currency=currency,
                target=target, region=region, tax_rate=tax_rate, date_format=date_format,
            ),
        )
    else:
        found = services.accounting_settings.get_accounting_settings(service)
    _print_settings(found)


def _print_journal(view: JournalView) -> None:
    journal = view.journal
    title = f"{journal.reference} {view.day} ({view.status}, {journal.currency})"
    grid = table("Account", "Description", "Location", "Debit", "Credit", title=title, numeric=["Debit", "Credit"])
    for line in journal.lines:
        debit = amount(line.debit, journal.currency) if line.debit else ""
        credit = amount(line.credit, journal.currency) if line.credit else ""
        grid.add_row(text(line.account), text(line.description), text(line.tracking_option or ""), debit, credit)
    grid.add_row(text("Total"), text(""), text(""), amount(journal.debits, journal.currency),
                 amount(journal.credits, journal.currency))
    console().print(grid)


@journal_app.command("list")
def list_journals(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", help="First day (default: 6 days before --to).")] = None,
    to: Annotated[str | None, typer.Option(help="Last day (default: today).")] = None,
) -> None:
    """The days that are posted or have journal lines."""
    grid = table("Date", "Status", "Lines", "Debits", "Credits", title="Journals", numeric=["Lines", "Debits",
                                                                                          "Credits"])
    for view in services.journals.list_journals(onhand(ctx), start=from_, end=to):
        grid.add_row(text(view.day.isoformat()), text(view.status), text(len(view.journal.lines)),
                     amount(view.journal.debits, view.journal.currency),
                     amount(view.journal.credits, view.journal.currency))
    console().print(grid)


@journal_app.command("show")
def show(ctx: typer.Context, day: Annotated[str, typer.Argument(help="The business day, YYYY-MM-DD.")]) -> None:
    """A day's journal: as posted, or as its moves make it now."""
    _print_journal(services.journals.get_journal(onhand(ctx), day))


@journal_app.command("post")
def post(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help="The business day, YYYY-MM-DD (a day that is over).")],
    lock: Annotated[bool, typer.Option("--lock", help="Also advance the period lock date to this day.")] = False,
) -> None:
    """Post (freeze) a day's journal."""
    _print_journal(services.journals.post_journal(onhand(ctx), PostJournal(day=parse_day(day), lock=lock)))


@journal_app.command("push")
def push(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help="A posted business day, YYYY-MM-DD.")],
    target: Annotated[str, typer.Option(help="xero or quickbooks (configured in the environment).")] = "xero",
    again: Annotated[bool, typer.Option("--again", help="Send it anew under a new reference (after the journal "
                                                        "sent before was voided or deleted there).")] = False,
) -> None:
    """Send a posted day's journal to a configured accounting system, once (a sent day is not sent again)."""
    send = services.journal_pushes.push_journal_again if again else services.journal_pushes.push_journal
    pushed = send(onhand(ctx), day, target=target)
    console().print(text(f"Sent the journal of {pushed.day} to {pushed.target} as {pushed.reference}: "
                         f"{pushed.remote_id} (at {moment(pushed.finished_at)})"))


@journal_app.command("run-nightly")
def run_nightly(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Push every posted day from this one that a system has not "
                                                   "got (default: from the day after the last day sent "
                                                   "there).")] = None,
) -> None:
    """Post every day that is over and not yet posted, then push the posted journals to each configured
    accounting system. Idempotent: run it every night (cron) or again after a failure; exits 7 when a push
    failed."""
    run = services.nightly_journals.run_nightly(onhand(ctx), since=since)
    posted = ", ".join(d.isoformat() for d in run.posted) if run.posted else "none"
    console().print(text(f"Posted {len(run.posted)} day(s): {posted}"))
    for p in run.pushed:
        console().print(text(f"Sent the journal of {p.day} to {p.target} as {p.reference}: {p.remote_id}"))
    if not run.targets:
        console().print(text("No accounting system is configured: nothing pushed (docs/accounting.md)"))
    elif not run.pushed and run.succeeded:
        console().print(text(f"Nothing to push to {', '.join(run.targets)}"))
    for failure in run.failures:
        typer.echo(f"error: the journal of {failure.day} was not sent to {failure.target}: {failure.reason}; "
                   "run `onhand journal run-nightly` again once it is fixed", err=True)
    if not run.succeeded:
        raise typer.Exit(7)


@journal_app.command("pushes")
def pushes(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", help="First day (default: 30 days before --to).")] = None,
    to: Annotated[str | None, typer.Option(help="Last day (default: today).")] = None,
    target: Annotated[str | None, typer.Option(help="xero or quickbooks (default: both).")] = None,
) -> None:
    """The pushes of journals to accounting systems: pending (push the day again to finish it), sent, failed."""
    grid = table("Date", "Target", "Status", "Reference", "Remote id", "Started", "Error", title="Journal pushes")
    for p in services.journal_pushes.journal_pushes(onhand(ctx), start=from_, end=to, target=target):
        grid.add_row(text(p.day.isoformat()), text(p.target), text(p.status), text(p.reference),
                     text(p.remote_id or ""), text(p.started_at), text(p.error or ""))
    console().print(grid)


@journal_app.command("export")
def export(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help="The business day, YYYY-MM-DD (the first, with --to).")],
    format: Annotated[str, typer.Option("--format", help="xero-json, xero-csv, qbo-json or csv.")] = "csv",
    to: Annotated[str | None, typer.Option(help="Last day of a range.")] = None,
    output: Annotated[Path | None, typer.Option(help="Write to this file (default: standard output).")] = None,
) -> None:
    """Export a day's journal (or a range) for Xero, QuickBooks Online or as CSV."""
    found = services.journals.export_journals(onhand(ctx), day, to, format=format)
    if output is None:
        sys.stdout.write(found.content)
        sys.stdout.flush()
        return
    output.write_bytes(found.content.encode())
    console().print(text(f"Wrote {output} ({found.format}, {len(found.content.encode())} bytes)"))


@journal_app.command("reconcile")
def reconcile(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", help="First day (default: yesterday).")] = None,
    to: Annotated[str | None, typer.Option(help="Last day (default: yesterday, or --from).")] = None,
) -> None:
    """Valuation total vs journal inventory balance per day; exits 1 if any day differs."""
    report = services.reconciliation.reconcile(onhand(ctx), start=from_, end=to)
    money = ["Valuation", "Journals", "Rounding", "Difference"]
    grid = table("Date", *money, "Status", title=f"Reconciliation ({report.currency})", key="days",
                 numeric=money)
    for day in report.days:
        grid.add_row(text(day.day.isoformat()),
                     *(amount(v, report.currency) for v in (day.valuation_total, day.journal_balance, day.rounding,
                                                            day.difference)),
                     text("ok" if day.reconciled else "DIFFERS"))
    console().print(grid)
    unbooked = [(day.day, move) for day in report.days for move in day.moves]
    if unbooked:
        moves = table("Date", "Move", "Effective", "SKU", "Role", "Location", "Inventory value",
                      title="Moves of posted days whose value changed", numeric=["Move", "Inventory value"])
        for day, m in unbooked:
            moves.add_row(text(day.isoformat()), text(m.move_id), text(m.effective_at), text(m.sku), text(m.role),
                          text(m.location or ""), amount(m.inventory_value, report.currency))
        console().print(moves)
    if not report.reconciled:
        raise typer.Exit(1)


# `onhand accounting chart …` and `onhand accounting connect` live in their own modules.
accounting_app.add_typer(chart_app, name="chart")
accounting_app.command("connect")(connect_command)
