"""Company settings: name, time zone (for business days and expiry) and currency."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.calendar import time_zone
from onhand.domain.catalog.commands import UpdateCompany
from onhand.domain.catalog.items import validate_min_remaining_days
from onhand.domain.errors import Conflict
from onhand.domain.money import currency_code
from onhand.domain.purchasing.purchase_orders import validate_tolerance
from onhand.services.audit import list_audit
from onhand.services.context import ServiceContext, run_write
from onhand.services.resolve import text
from onhand.services.views import Company

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def change_currency(uow: UnitOfWork, currency: str) -> None:
    """Make `currency` the company's. Values and journals are in the company's currency, so
    it changes only while nothing is valued; sales orders priced in the new currency become
    domestic (rate 1), and orders priced in the old one refuse it (their rate is unknown)."""
    current = uow.company.get()
    if currency == current.currency:
        return
    if uow.valuation.has_values():
        raise Conflict("currency: moves have been valued in the company's currency already")
    held = uow.orders.count_in_currency(current.currency)
    if held:
        raise Conflict(f"currency: {held} sales order(s) are priced in {current.currency}, whose rate to "
                       f"{currency} is unknown; cancel them first, or change the currency before taking orders")
    uow.orders.set_rate_in_currency(currency, Decimal(1))
    uow.company.save(replace(current, currency=currency))


def refuse_unconfirmed_timezone_change(uow: UnitOfWork, timezone: str) -> None:
    """A business day is a day in the company's time zone: changing it once stock has moved
    moves past postings to other days (daily journals, expiry), so it must be confirmed."""
    if timezone != uow.company.get().timezone and uow.ledger.move_count():
        raise Conflict("timezone: postings exist, and their business days (daily journals, expiry) follow the "
                       "time zone; confirm the change to make it (CLI --confirm, API confirm_timezone_change)")


def in_use(ctx: ServiceContext) -> bool:
    """Whether this database holds a company already: anything was ever changed in it (every
    change is in the audit log), be it its settings, an item or a posting."""
    return bool(list_audit(ctx, limit=1).entries)


def get_company(ctx: ServiceContext) -> Company:
    with ctx.reading() as uow:
        return uow.company.get()


def update_company(ctx: ServiceContext, command: UpdateCompany, *, idempotency_key: str | None = None) -> Company:
    name, timezone, currency = command.name, command.timezone, command.currency
    min_remaining_shelf_life_days, over_receipt_tolerance_pct = (
        command.min_remaining_shelf_life_days, command.over_receipt_tolerance_pct
    )
    if timezone is not None:
        time_zone(timezone)
    if currency is not None:
        currency_code(currency)
    new_name = text(name, "name")
    min_days = min_remaining_shelf_life_days
    if min_days is not None:
        validate_min_remaining_days(min_days)
    tolerance = None if over_receipt_tolerance_pct is None else validate_tolerance(over_receipt_tolerance_pct)

    def work(uow: UnitOfWork) -> int:
        if timezone is not None and not command.confirm_timezone_change:
            refuse_unconfirmed_timezone_change(uow, timezone)
        if currency is not None:
            change_currency(uow, currency)
        current = uow.company.get()
        uow.company.save(
            Company(
                name=new_name or current.name,
                timezone=timezone or current.timezone,
                currency=current.currency,
                min_remaining_shelf_life_days=current.min_remaining_shelf_life_days
                if min_days is None
                else min_days,
                over_receipt_tolerance_pct=current.over_receipt_tolerance_pct if tolerance is None else tolerance,
                auto_assign_serials=current.auto_assign_serials
                if command.auto_assign_serials is None
                else command.auto_assign_serials,
            )
        )
        return 1

    return run_write(
        ctx, work, lambda uow, _id: uow.company.get(), action="update_company",
        subject=lambda _company: AuditObject("company", "settings"), idempotency_key=idempotency_key,
        before=lambda uow: uow.company.get(),
        request=command,
    )
