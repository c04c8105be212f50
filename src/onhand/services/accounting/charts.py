"""The chart of accounts loaded from the accounting system, and the check of every mapped
code against it before a day is posted or pushed.

Without a loaded chart nothing is checked (codes are the company's word). With one, a
day is posted only when every code of the account map names an account of the chart that
a manual journal may use (`domain/accounting/charts.py`), and pushed to the system the
chart came from only when every code of its posted lines does; the error names the
setting and the code. QuickBooks refers to accounts by Id: a QuickBooks chart with Ids
turns the codes (account numbers or names) into them, in pushes and in the qbo-json export.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.accounting.accounts import AccountMap
from onhand.domain.accounting.charts import (
    Chart,
    ChartAccount,
    ChartProblem,
    Target,
    check_codes,
    check_settings,
    parse_chart,
    parse_target,
    refuse_problems,
)
from onhand.domain.accounting.commands import ImportChart
from onhand.domain.accounting.journal import Journal
from onhand.domain.audit import AuditObject
from onhand.domain.errors import InvalidInput
from onhand.services.accounting.settings import account_map
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


@dataclass(frozen=True)
class ChartCheck:
    """What is loaded (`target` None: no chart) and what of the account map it cannot take."""

    target: str | None
    loaded_at: datetime | None
    accounts: int
    problems: tuple[ChartProblem, ...]

    @property
    def ready(self) -> bool:
        return not self.problems


def load_chart(uow: UnitOfWork) -> tuple[Chart, datetime] | None:
    rows = uow.journals.chart()
    if not rows:
        return None
    accounts = tuple(ChartAccount(r.code, r.name, r.type, r.system_account, r.account_id, r.tax_code) for r in rows)
    return Chart(Target(rows[0].target), accounts), rows[0].loaded_at


def check(uow: UnitOfWork) -> ChartCheck:
    loaded = load_chart(uow)
    if loaded is None:
        return ChartCheck(None, None, 0, ())
    chart, loaded_at = loaded
    return ChartCheck(chart.target.value, loaded_at, len(chart.accounts), tuple(check_codes(account_map(uow), chart)))


def check_chart(ctx: ServiceContext) -> ChartCheck:
    """The loaded chart and every mapped code it cannot take (none: days may be posted)."""
    with ctx.reading() as uow:
        return check(uow)


def import_chart(ctx: ServiceContext, command: ImportChart, *, idempotency_key: str | None = None) -> ChartCheck:
    """Replace the loaded chart with the accounting system's export; returns its check."""

    def work(uow: UnitOfWork) -> int:
        target = parse_target(command.target) if command.target is not None else \
            Target(uow.journals.options().accounting_target)
        _store(ctx, uow, parse_chart(target, command.text))
        return 1

    return run_write(ctx, work, lambda uow, _id: check(uow), action="import_chart",
                     subject=lambda _check: AuditObject("company", "chart_of_accounts"),
                     idempotency_key=idempotency_key, request=command)


def fetch_chart(ctx: ServiceContext, *, target: str = "xero") -> ChartCheck:
    """Replace the loaded chart with the one a configured system gives through its API (asked
    before the write transaction, which holds no connection to it); returns its check."""
    chosen = parse_target(target)
    pusher = ctx.journal_pushers.get(chosen.value)
    if pusher is None:
        configured = ", ".join(sorted(ctx.journal_pushers)) or "none"
        raise InvalidInput("target", f"{chosen.value!r} is not connected (configured: {configured}); "
                                     "import its chart of accounts export instead")
    chart = Chart(chosen, tuple(pusher.accounts()))
    if not chart.accounts:
        raise InvalidInput("target", f"{chosen.value} gave no accounts")

    def work(uow: UnitOfWork) -> int:
        _store(ctx, uow, chart)
        return 1

    return run_write(ctx, work, lambda uow, _id: check(uow), action="fetch_chart",
                     subject=lambda _check: AuditObject("company", "chart_of_accounts"),
                     request={"target": chosen.value, "accounts": len(chart.accounts)})


def _store(ctx: ServiceContext, uow: UnitOfWork, chart: Chart) -> None:
    now = ctx.now()
    uow.journals.replace_chart([
        {"target": chart.target.value, "code": (a.code or "")[:40] or None, "name": a.name[:150],
         "type": a.type[:60], "system_account": a.system_account, "account_id": a.account_id,
         "tax_code": a.tax_code[:100] if a.tax_code else None, "loaded_at": now}
        for a in chart.accounts])


def refuse_unmapped(uow: UnitOfWork, accounts: AccountMap) -> None:
    """Before posting a day: every code of the account map in the loaded chart (if one is loaded)."""
    loaded = load_chart(uow)
    if loaded is not None:
        refuse_problems(check_codes(accounts, loaded[0]))


def journal_for(uow: UnitOfWork, journal: Journal, target: str) -> Journal:
    """A posted journal as `target` takes it: its codes checked against the chart loaded from
    that system, and for QuickBooks turned into account Ids where the chart has them."""
    loaded = load_chart(uow)
    if loaded is None or loaded[0].target.value != target:
        return journal
    chart = loaded[0]
    refuse_problems(check_settings(sorted({(f"accounts.{ln.role.value}", ln.account) for ln in journal.lines}),
                                   chart))
    return with_account_ids(journal, chart)


def with_account_ids(journal: Journal, chart: Chart) -> Journal:
    if chart.target is not Target.QUICKBOOKS:
        return journal
    def account_id(code: str) -> str:
        found = chart.find(code)
        return found.account_id if found is not None and found.account_id else code

    return replace(journal, lines=tuple(replace(ln, account=account_id(ln.account)) for ln in journal.lines))


def quickbooks_chart(uow: UnitOfWork) -> Chart | None:
    loaded = load_chart(uow)
    return loaded[0] if loaded is not None and loaded[0].target is Target.QUICKBOOKS else None
