"""The company's chart of accounts as the accounting system has it, and whether the
account map's codes can be journaled to it.

A chart is loaded from the accounting system's own export (Xero: Accounting › Chart of
accounts › Export, columns `*Code,*Name,*Type,*Tax Code,Description,Dashboard,Expense
Claims,Enable Payments,Balance`; QuickBooks Online: the Account List, or the Account
API's fields `Id,Name,AcctNum,AccountType`). Each mapped code must name an account of
it that a manual journal may use: not a bank account (neither system journals to
one), and not an account the system keeps from invoices, bills or payroll (Xero's
Accounts Receivable, Accounts Payable, Unpaid Expense Claims, Wages Payable; QBO's
A/R and A/P, whose journal lines need a customer or vendor).

This module imports only the standard library and the accounting domain.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from onhand.domain.accounting.accounts import AccountMap, AccountRole
from onhand.domain.errors import InvalidInput

MAX_ACCOUNTS = 5000  # Xero and QBO charts hold a few hundred at most


class Target(StrEnum):
    """The accounting system a company's journals go to."""

    XERO = "xero"
    QUICKBOOKS = "quickbooks"


def parse_target(value: str | None, field: str = "target") -> Target:
    try:
        return Target((value or "").strip().lower())
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not an accounting system; use xero or quickbooks") from None


# Xero's system accounts (the API's `SystemAccount`) that a manual journal cannot use;
# its other system accounts (Historical Adjustment, Rounding, sales tax) it can.
XERO_NOT_JOURNALED = {
    "DEBTORS": "Accounts Receivable",
    "CREDITORS": "Accounts Payable",
    "UNPAIDEXPCLM": "Unpaid Expense Claims",
    "WAGEPAYABLES": "Wages Payable",
}
# A Xero export does not say which accounts are system accounts: known by name.
_XERO_SYSTEM_NAMES = {
    "accounts receivable": "DEBTORS",
    "accounts payable": "CREDITORS",
    "unpaid expense claims": "UNPAIDEXPCLM",
    "wages payable": "WAGEPAYABLES",
    "wages payable - payroll": "WAGEPAYABLES",
}


@dataclass(frozen=True)
class ChartAccount:
    """One account: `code` (Xero's code, QBO's account number; may be blank), `name`,
    `type` as the system names it, `system_account` (Xero's SystemAccount), `account_id`
    (the system's id of it: QBO's Id is what its journal entries refer to)."""

    code: str | None
    name: str
    type: str
    system_account: str | None = None
    account_id: str | None = None
    tax_code: str | None = None

    def refusal(self) -> str | None:
        """Why a manual journal cannot use this account (None: it can)."""
        kind = self.type.strip().lower()
        if kind == "bank":
            return f"{self.name!r} is a bank account, which takes no manual journal"
        if self.system_account in XERO_NOT_JOURNALED:
            return f"{self.name!r} is Xero's {XERO_NOT_JOURNALED[self.system_account]} system account, " \
                   "which takes no manual journal; add an account of your own for it"
        if kind.startswith(("accounts receivable", "accounts payable")):
            return f"{self.name!r} is an {self.type} account, whose journal lines need a customer or vendor"
        return None


@dataclass(frozen=True)
class Chart:
    target: Target
    accounts: tuple[ChartAccount, ...]

    def find(self, code: str) -> ChartAccount | None:
        """The account a mapped code names: by code (Xero) — or for QBO by account number, name or Id."""
        wanted = code.strip()
        for account in self.accounts:
            if account.code and account.code == wanted:
                return account
        if self.target is Target.QUICKBOOKS:
            folded = wanted.casefold()
            for account in self.accounts:
                if account.name.casefold() == folded or account.account_id == wanted:
                    return account
        return None


@dataclass(frozen=True)
class ChartProblem:
    """A mapped code the chart cannot take: `setting` names where it is set."""

    setting: str
    code: str
    reason: str


def check_codes(accounts: AccountMap, chart: Chart) -> list[ChartProblem]:
    """Every code of the account map (defaults and category overrides) checked against the chart."""
    wanted = [(f"accounts.{role.value}", accounts.code(role)) for role in AccountRole]
    wanted += [(f"categories.{category}.{role.value}", code)
               for category, codes in sorted(accounts.by_category.items()) for role, code in sorted(codes.items())]
    return check_settings(wanted, chart)


def check_settings(wanted: Iterable[tuple[str, str]], chart: Chart) -> list[ChartProblem]:
    problems = []
    for setting, code in wanted:
        account = chart.find(code)
        if account is None:
            problems.append(ChartProblem(setting, code, f"no account with code {code!r} in the loaded "
                                                        f"{chart.target.value} chart of accounts"))
        elif (reason := account.refusal()) is not None:
            problems.append(ChartProblem(setting, code, reason))
    return problems


def refuse_problems(problems: list[ChartProblem]) -> None:
    """One error naming the first problem's setting and code, and how many more there are."""
    if problems:
        first, more = problems[0], len(problems) - 1
        tail = f" (and {more} more: onhand accounting chart check)" if more else ""
        raise InvalidInput(first.setting, f"account code {first.code!r}: {first.reason}{tail}")


def _rows(text: str, what: str) -> list[dict[str, str]]:
    """The rows under the first line that looks like a header (QBO's report export has a title first);
    column names without Xero's mandatory-column asterisk, lower case."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("file", f"{what} is empty")
    try:
        # newline="": lines may end in CR, LF or both (the csv module's own advice).
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as exc:
        raise InvalidInput("file", f"{what} is not a readable CSV file ({exc})") from None
    names = {"*code", "code", "*name", "name", "account", "full name", "id"}
    for start, header in enumerate(lines):
        clean = [h.strip().lower() for h in header]
        if names & set(clean):
            columns = [h.lstrip("*") for h in clean]
            rows = [dict(zip(columns, (v.strip() for v in row), strict=False))
                    for row in lines[start + 1:] if any(v.strip() for v in row)]
            if len(rows) > MAX_ACCOUNTS:
                raise InvalidInput("file", f"{len(rows)} accounts; at most {MAX_ACCOUNTS}")
            return rows
    raise InvalidInput("file", f"{what} has no header row naming the accounts' code or name")


def _first(row: dict[str, str], *names: str) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def parse_xero_chart(text: str) -> Chart:
    """Xero's chart of accounts export (`*Code,*Name,*Type,*Tax Code,…`)."""
    accounts = []
    for index, row in enumerate(_rows(text, "the Xero chart of accounts")):
        name, kind = _first(row, "name"), _first(row, "type")
        if not name or not kind:
            raise InvalidInput(f"rows[{index}]", "every account needs its *Name and *Type")
        system = _first(row, "systemaccount", "system account") or _XERO_SYSTEM_NAMES.get(name.lower())
        accounts.append(ChartAccount(_first(row, "code") or None, name, kind, system or None,
                                     _first(row, "accountid", "id") or None, _first(row, "tax code") or None))
    return Chart(Target.XERO, tuple(accounts))


def parse_quickbooks_chart(text: str) -> Chart:
    """QuickBooks Online's Account List (Account / Name, Type, Account #) or its Account API's
    fields (Id, Name, AcctNum, AccountType); only rows with an Id can be sent by Id."""
    accounts = []
    for index, row in enumerate(_rows(text, "the QuickBooks account list")):
        name = _first(row, "name", "account", "full name", "fullyqualifiedname")
        kind = _first(row, "accounttype", "account type", "type")
        if not name or not kind:
            raise InvalidInput(f"rows[{index}]", "every account needs its name and type")
        accounts.append(ChartAccount(_first(row, "acctnum", "account #", "number", "account number") or None,
                                     name, kind, None, _first(row, "id") or None))
    return Chart(Target.QUICKBOOKS, tuple(accounts))


def parse_chart(target: Target, text: str) -> Chart:
    return parse_xero_chart(text) if target is Target.XERO else parse_quickbooks_chart(text)
