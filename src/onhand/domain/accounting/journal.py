"""The daily summary journal: one balanced entry per business day for the accounting system.

Each valued move (and each revaluation delta) becomes a debit and a credit between
two account roles; each shipped order line becomes sales revenue, and each customer
return reverses what it refunded (sales returns against sales clearing). The day's amounts
are summed exactly per account (and per location, when the company tracks locations
as a tracking category), then rounded to the currency's minor unit, half-even; the
residue of that rounding goes to the rounding account, so debits equal credits to the
cent and nothing is lost.

An entry of a day whose journal is already posted comes in a later day's journal as a
*correction line* that names the day it belongs to (which day: journal_days.py).

A journal is a pure function of its entries: lines are sorted by a total order, so
generating a day twice gives the same journal and byte-identical exports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from onhand.domain.accounting.accounts import AccountMap, AccountRole
from onhand.domain.money import minor_unit
from onhand.domain.valuation.cost_layers import ZERO
from onhand.domain.valuation.move_roles import MoveRole

# Debit role, credit role of a move's value.
ENTRIES: dict[MoveRole, tuple[AccountRole, AccountRole]] = {
    MoveRole.RECEIPT: (AccountRole.INVENTORY, AccountRole.GOODS_RECEIVED),
    MoveRole.SUPPLIER_RETURN: (AccountRole.GOODS_RECEIVED, AccountRole.INVENTORY),
    MoveRole.SHIPMENT: (AccountRole.COGS, AccountRole.INVENTORY),
    MoveRole.RETURN: (AccountRole.INVENTORY, AccountRole.COGS),
    MoveRole.SCRAP: (AccountRole.ADJUSTMENTS, AccountRole.INVENTORY),
    MoveRole.ADJUSTMENT_OUT: (AccountRole.ADJUSTMENTS, AccountRole.INVENTORY),
    MoveRole.ADJUSTMENT_IN: (AccountRole.INVENTORY, AccountRole.ADJUSTMENTS),
    MoveRole.BUILD_CONSUMPTION: (AccountRole.PRODUCTION, AccountRole.INVENTORY),
    MoveRole.BUILD_OUTPUT: (AccountRole.INVENTORY, AccountRole.PRODUCTION),
    MoveRole.TRANSFER: (AccountRole.INVENTORY, AccountRole.INVENTORY),
}


@dataclass(frozen=True, slots=True)
class ValuedEntry:
    """One move's value (or a revaluation delta, which may be negative) to be journaled.

    `location` is the code of the internal location whose stock changed (a transfer's
    source); `destination` is a transfer's destination. `variance` is the part of an
    inbound value that settled earlier negative stock at another cost (to COGS).
    """

    move_id: int
    role: MoveRole
    value: Decimal
    effective_day: date
    journal_day: date
    location: str | None = None
    destination: str | None = None
    category: str | None = None
    variance: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class SaleEntry:
    """Revenue of one shipped order line, in company currency, before tax."""

    order_line_id: int
    amount: Decimal
    effective_day: date
    journal_day: date
    location: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class RefundEntry:
    """Revenue reversed by customer returns (what was refunded), in company currency.

    Booked Dr Sales returns (falls back to Sales revenue) / Cr Sales clearing: the
    mirror of the sale, against the account the sale was debited to.
    """

    amount: Decimal
    effective_day: date
    journal_day: date
    location: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class OpeningEntry:
    """Value given by an opening valuation to stock that predates valuation (no move).

    Inventory is debited with `value` against the opening-balance account; `variance` is
    the part of it that settled units taken out before the pool was valued (booked to
    COGS instead of inventory, like the variance of an inbound move).
    """

    value: Decimal
    effective_day: date
    journal_day: date
    location: str | None = None
    category: str | None = None
    variance: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class PriceVarianceEntry:
    """Receipts kept at the order's unit cost although invoiced at another (costing setting
    "variance"): `amount` = Σ quantity × (invoiced − ordered) unit cost, in company currency.

    Booked Dr Purchase price variance / Cr Goods received (a lower invoice: the reverse), so
    goods received is credited with what the supplier invoices while inventory keeps the
    order's cost.
    """

    amount: Decimal
    effective_day: date
    journal_day: date
    location: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class JournalLine:
    """`amount` > 0 is a debit, < 0 a credit, in the currency's minor unit."""

    account: str
    role: AccountRole
    amount: Decimal
    description: str
    effective_day: date
    tracking_option: str | None = None

    @property
    def debit(self) -> Decimal:
        return self.amount if self.amount > 0 else ZERO

    @property
    def credit(self) -> Decimal:
        return -self.amount if self.amount < 0 else ZERO


@dataclass(frozen=True)
class Journal:
    day: date
    currency: str
    narration: str
    reference: str
    lines: tuple[JournalLine, ...]
    tracking_category: str | None = None

    @property
    def debits(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    @property
    def corrections(self) -> tuple[JournalLine, ...]:
        return tuple(line for line in self.lines if line.effective_day != self.day)


def inventory_change(role: MoveRole, value: Decimal, variance: Decimal = ZERO) -> Decimal:
    """What a move's value changes the inventory asset by (exact): the sum of its inventory lines."""
    if role.is_inbound:
        return value - variance
    if role.is_outbound:
        return -value
    return -variance  # a transfer moves value between locations; only its variance leaves


def inventory_effect(entry: ValuedEntry) -> Decimal:
    return inventory_change(entry.role, entry.value, entry.variance)


_Key = tuple[date, str, AccountRole, str]  # effective day, account, role, tracking option ("" for none)


def daily_journal(
    day: date,
    entries: Iterable[ValuedEntry],
    sales: Iterable[SaleEntry] = (),
    *,
    openings: Iterable[OpeningEntry] = (),
    refunds: Iterable[RefundEntry] = (),
    price_variances: Iterable[PriceVarianceEntry] = (),
    accounts: AccountMap,
    currency: str,
    tracking_category: str | None = None,
) -> Journal:
    """The summary journal of `day` from the entries whose `journal_day` is that day.

    With `tracking_category` (e.g. "Location"), lines are split per location code.
    """
    sums: dict[_Key, Decimal] = defaultdict(Decimal)
    tracked = tracking_category is not None

    def book(effective: date, role: AccountRole, category: str | None, location: str | None, amount: Decimal) -> None:
        option = (location or "") if tracked else ""
        sums[(effective, accounts.code(role, category), role, option)] += amount

    for entry in entries:
        if entry.journal_day != day:
            continue
        debit, credit = ENTRIES[entry.role]
        source = entry.location
        target = entry.destination if entry.role is MoveRole.TRANSFER else entry.location
        book(entry.effective_day, debit, entry.category, target, entry.value)
        book(entry.effective_day, credit, entry.category, source, -entry.value)
        if entry.variance:
            # The variance is part of the value booked above that did not stay in inventory.
            book(entry.effective_day, AccountRole.COGS, entry.category, target, entry.variance)
            book(entry.effective_day, AccountRole.INVENTORY, entry.category, target, -entry.variance)
    for opening in openings:
        if opening.journal_day != day:
            continue
        where, category = opening.location, opening.category
        book(opening.effective_day, AccountRole.INVENTORY, category, where, opening.value)
        book(opening.effective_day, AccountRole.OPENING_BALANCE, category, where, -opening.value)
        if opening.variance:
            book(opening.effective_day, AccountRole.COGS, category, where, opening.variance)
            book(opening.effective_day, AccountRole.INVENTORY, category, where, -opening.variance)
    for sale in sales:
        if sale.journal_day != day:
            continue
        book(sale.effective_day, AccountRole.SALES_CLEARING, sale.category, sale.location, sale.amount)
        book(sale.effective_day, AccountRole.REVENUE, sale.category, sale.location, -sale.amount)
    for refund in refunds:
        if refund.journal_day != day:
            continue
        book(refund.effective_day, AccountRole.SALES_RETURNS, refund.category, refund.location, refund.amount)
        book(refund.effective_day, AccountRole.SALES_CLEARING, refund.category, refund.location, -refund.amount)
    for ppv in price_variances:
        if ppv.journal_day != day:
            continue
        book(ppv.effective_day, AccountRole.PURCHASE_PRICE_VARIANCE, ppv.category, ppv.location, ppv.amount)
        book(ppv.effective_day, AccountRole.GOODS_RECEIVED, ppv.category, ppv.location, -ppv.amount)

    step = minor_unit(currency)
    lines: list[JournalLine] = []
    for (effective, account, role, option), amount in sums.items():
        rounded = amount.quantize(step, rounding=ROUND_HALF_EVEN)
        if rounded:
            description = _describe(role, effective, day)
            lines.append(JournalLine(account, role, rounded, description, effective, option or None))
    residue = -sum((line.amount for line in lines), ZERO)
    if residue:
        rounding = AccountRole.ROUNDING
        lines.append(JournalLine(accounts.code(rounding), rounding, residue, _describe(rounding, day, day), day))
    lines.sort(key=lambda line: _line_order(line, day))
    return Journal(
        day=day,
        currency=currency.upper(),
        narration=f"Onhand inventory summary {day.isoformat()}",
        reference=f"ONHAND-{day:%Y%m%d}",
        lines=tuple(lines),
        tracking_category=tracking_category,
    )


def _describe(role: AccountRole, effective: date, day: date) -> str:
    if effective == day:
        return role.label
    return f"{role.label} (correction for {effective.isoformat()})"


def _line_order(line: JournalLine, day: date) -> tuple[bool, date, bool, str, str, str, Decimal]:
    return (
        line.effective_day != day,
        line.effective_day,
        line.role is AccountRole.ROUNDING,
        line.account,
        line.role.value,
        line.tracking_option or "",
        line.amount,
    )
