"""Accounting settings: account codes per role (and per item category), tracking by
location, the period lock date, the currency of the journals, the accounting system
they go to (`target`), the region, and the Xero CSV's tax rate and date format.

A company that set nothing gets the codes of its target's standard chart
(`DEFAULT_CODES_BY_TARGET`: Xero's unless it chose QuickBooks), no tracking and no lock
date, so the journals work from the first day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from onhand.domain.accounting.accounts import DEFAULT_CODES_BY_TARGET, AccountMap, AccountRole, parse_role
from onhand.domain.accounting.charts import parse_target
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.accounting.regions import Conventions, conventions, parse_date_format, parse_region, parse_tax_rate
from onhand.domain.audit import AuditObject
from onhand.domain.catalog.items import validate_category
from onhand.domain.errors import InvalidInput
from onhand.domain.money import currency_code
from onhand.services.catalog.company import change_currency
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


@dataclass(frozen=True)
class AccountingSettings:
    accounts: dict[str, str]  # role → code
    categories: dict[str, dict[str, str]]  # category → role → code (only the overrides)
    track_locations: bool
    lock_date: date | None
    currency: str
    target: str  # xero or quickbooks: whose standard chart the default codes come from
    region: str | None  # None: international (Xero's "INT" defaults)
    tax_rate: str  # as the Xero CSV names it on every line (the region's unless set)
    date_format: str  # of the Xero CSV (the region's unless set)


def export_conventions(uow: UnitOfWork) -> Conventions:
    """The Xero CSV's tax rate and date format: what the company set, else its region's."""
    options = uow.journals.options()
    return conventions(options.accounting_region, options.export_tax_rate, options.export_date_format)


def account_map(uow: UnitOfWork) -> AccountMap:
    stored = uow.journals.account_codes()
    base = DEFAULT_CODES_BY_TARGET[uow.journals.options().accounting_target]
    defaults = {**base, **{AccountRole(r): c for r, c in stored.get("", {}).items()}}
    overrides = {
        category: {AccountRole(r): c for r, c in codes.items()} for category, codes in stored.items() if category
    }
    return AccountMap(defaults, overrides)


def load_settings(uow: UnitOfWork) -> AccountingSettings:
    accounts = account_map(uow)
    track, lock, currency = uow.journals.settings()
    options, chosen = uow.journals.options(), export_conventions(uow)
    return AccountingSettings(
        accounts={role.value: accounts.code(role) for role in AccountRole},
        categories={
            c: {r.value: code for r, code in sorted(m.items())} for c, m in sorted(accounts.by_category.items())
        },
        track_locations=track,
        lock_date=lock,
        currency=currency,
        target=options.accounting_target,
        region=options.accounting_region,
        tax_rate=chosen.tax_rate,
        date_format=chosen.date_format.value,
    )


def get_accounting_settings(ctx: ServiceContext) -> AccountingSettings:
    with ctx.reading() as uow:
        return load_settings(uow)


def _codes(given: Mapping[str, str], field: str) -> dict[AccountRole, str]:
    if not isinstance(given, Mapping):
        raise InvalidInput(field, "must map account roles to codes")
    return {parse_role(role, f"{field}.{role}"): code for role, code in given.items()}


def update_accounting_settings(
    ctx: ServiceContext, command: UpdateAccountingSettings, *, idempotency_key: str | None = None
) -> AccountingSettings:
    """Change what is given; leave the rest.

    `accounts` changes the default codes of the roles it names; `categories` replaces
    the overrides of the categories it names (an empty mapping removes a category's);
    `remove_lock_date` removes the lock date; `currency` may change only before any move is valued.
    """
    accounts, categories, track_locations, currency = (
        command.accounts, command.categories, command.track_locations, command.currency
    )
    if command.remove_lock_date and command.lock_date is not None:
        raise InvalidInput("lock_date", "give a lock date or remove it, not both")
    new_defaults = _codes(accounts, "accounts") if accounts is not None else {}
    new_categories: dict[str, dict[AccountRole, str]] = {}
    for name, codes in (categories or {}).items():
        category = validate_category(name, "categories")
        if category is None:
            raise InvalidInput("categories", "a category name must not be empty")
        new_categories[category] = _codes(codes, f"categories.{category}")
    clear_lock = command.remove_lock_date
    new_lock = parse_date(command.lock_date, "lock_date")
    if currency is not None:
        currency_code(currency)
    options = _options(command)

    def work(uow: UnitOfWork) -> int:
        current = account_map(uow)
        before = uow.journals.options().accounting_target
        uow.journals.save_options(options)
        after = uow.journals.options().accounting_target
        kept = current.defaults
        if after != before:  # codes that were the old system's defaults become the new one's
            old, new = DEFAULT_CODES_BY_TARGET[before], DEFAULT_CODES_BY_TARGET[after]
            kept = {role: new[role] if role in new and code == old.get(role) else code
                    for role, code in current.defaults.items()}
        overrides = {**current.by_category, **new_categories}
        merged = AccountMap({**kept, **new_defaults}, {c: m for c, m in overrides.items() if m})
        uow.journals.replace_account_codes(
            {"": {r.value: c for r, c in merged.defaults.items()}}
            | {c: {r.value: code for r, code in m.items()} for c, m in merged.by_category.items()}
        )
        track, lock, _currency = uow.journals.settings()
        uow.journals.save_settings(
            track_locations=track if track_locations is None else bool(track_locations),
            lock_date=None if clear_lock else (new_lock or lock),
        )
        if currency is not None:
            change_currency(uow, currency)
        return 1

    return run_write(ctx, work, lambda uow, _id: load_settings(uow), action="update_accounting_settings",
                     subject=lambda _settings: AuditObject("company", "accounting"),
                     idempotency_key=idempotency_key, request=command, before=load_settings)


def _options(command: UpdateAccountingSettings) -> dict[str, str | None]:
    """The stored options the command changes: "" for the tax rate or date format means the region's."""
    found: dict[str, str | None] = {}
    if command.target is not None:
        found["accounting_target"] = parse_target(command.target).value
    if command.region is not None:
        found["accounting_region"] = parse_region(command.region)
    if command.tax_rate is not None:
        found["export_tax_rate"] = None if _blank(command.tax_rate) else parse_tax_rate(command.tax_rate)
    if command.date_format is not None:
        found["export_date_format"] = None if _blank(command.date_format) else \
            parse_date_format(command.date_format).value
    return found


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()
