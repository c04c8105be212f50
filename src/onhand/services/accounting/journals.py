"""The daily summary journal: reading, posting (freezing) and exporting business days.

How a day's journal is made, and corrected once posted: `journal_book.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from onhand.domain.accounting.commands import PostJournal
from onhand.domain.accounting.journal_days import check_not_locked
from onhand.domain.audit import AuditObject
from onhand.domain.calendar import business_day, time_zone
from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput, OutOfRange
from onhand.domain.ledger.events import PostingsToWrite
from onhand.domain.money import MAX_STORED
from onhand.domain.valuation.cost_layers import ZERO
from onhand.services.accounting.charts import quickbooks_chart, refuse_unmapped, with_account_ids
from onhand.services.accounting.journal_book import JournalBook, JournalView
from onhand.services.accounting.settings import export_conventions
from onhand.services.catalog.lots import parse_date
from onhand.services.context import ServiceContext, run_write, today

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

MAX_RANGE_DAYS = 92


class ExportFormat(StrEnum):
    XERO_JSON = "xero-json"  # Xero Accounting API ManualJournals body
    XERO_CSV = "xero-csv"  # Xero manual journal import template
    QBO_JSON = "qbo-json"  # QuickBooks Online JournalEntry body
    CSV = "csv"  # plain CSV, one row per line

    @property
    def media_type(self) -> str:
        return "text/csv" if self.value.endswith("csv") else "application/json"

    @property
    def extension(self) -> str:
        return "csv" if self.value.endswith("csv") else "json"


@dataclass(frozen=True)
class JournalExport:
    format: str
    media_type: str
    filename: str
    content: str


def parse_day(value: date | str | None, field: str = "day") -> date:
    day = parse_date(value, field)
    if day is None:
        raise InvalidInput(field, "a date (YYYY-MM-DD) is required")
    return day


def parse_format(value: str | None) -> ExportFormat:
    return parse_choice(ExportFormat, value or "", "format")


def day_range(start: date | str | None, end: date | str | None, default_end: date) -> tuple[date, date]:
    last = parse_date(end, "to") or default_end
    first = parse_date(start, "from") or last
    if first > last:
        raise InvalidInput("from", f"{first} is after {last}")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidInput("to", f"at most {MAX_RANGE_DAYS} days at a time")
    return first, last


def get_journal(ctx: ServiceContext, day: date | str) -> JournalView:
    """The journal of a business day: as posted, or as its moves make it now."""
    wanted = parse_day(day)
    with ctx.reading() as uow:
        return JournalBook(uow).view(wanted)


def list_journals(
    ctx: ServiceContext, *, start: date | str | None = None, end: date | str | None = None
) -> list[JournalView]:
    """The days from `start` to `end` (default: the last 7 days) that are posted or have lines."""
    with ctx.reading() as uow:
        current = today(ctx, uow)
        first, last = day_range(start or (parse_date(end, "to") or current) - timedelta(days=6), end, current)
        book = JournalBook(uow)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        views = [book.view(day) for day in days]
    return [v for v in views if v.status == "posted" or v.journal.lines]


def post_journal(ctx: ServiceContext, command: PostJournal, *, idempotency_key: str | None = None) -> JournalView:
    """Freeze a day's journal (a day that is over); posting it again changes nothing. With
    `lock`, also advance the period lock date to it (never moving it back)."""
    wanted, lock = parse_day(command.day), command.lock

    def work(uow: UnitOfWork) -> int:
        if wanted >= today(ctx, uow):
            raise InvalidInput("day", f"{wanted} has not ended yet; a day is posted once it is over")
        book = JournalBook(uow)
        if wanted not in book.posted:  # posting a posted day again changes nothing
            refuse_unmapped(uow, book.accounts)
            basis = book.open_basis(wanted)
            journal = book.journal(wanted, basis)
            _check_storable(wanted, [("inventory", sum((r.inventory for r in basis), ZERO))]
                            + [(line.account, line.amount) for line in journal.lines]
                            + [(f"{r.key[0]} {r.key[1]}", figure) for r in basis for figure in (r.value, r.variance)])
            uow.journals.save_posted(
                {"day": wanted, "posted_at": ctx.now(), "currency": journal.currency,
                 "tracking_category": journal.tracking_category, "narration": journal.narration,
                 "reference": journal.reference, "inventory_exact": sum((r.inventory for r in basis), ZERO)},
                [{"day": wanted, "line_no": n, "account": ln.account, "role": ln.role.value, "amount": ln.amount,
                  "description": ln.description, "effective_day": ln.effective_day,
                  "tracking_option": ln.tracking_option} for n, ln in enumerate(journal.lines, 1)],
                [{"day": wanted, "effective_day": r.effective_day, "kind": r.key[0], "role": r.key[1],
                  "category": r.key[2], "location_id": r.key[3], "destination_id": r.key[4],
                  "value": r.value, "variance": r.variance} for r in basis],
            )
        if lock and (book.lock_date is None or book.lock_date < wanted):
            uow.journals.save_settings(track_locations=book.tracking is not None, lock_date=wanted)
        return 1

    return run_write(ctx, work, lambda uow, _id: JournalBook(uow).view(wanted), action="post_journal",
                     subject=lambda view: AuditObject("journal", view.day.isoformat()),
                     idempotency_key=idempotency_key, request=command)


def _check_storable(day: date, amounts: list[tuple[str, Decimal]]) -> None:
    """A day's journal adds up many values: it may exceed what a stored amount holds."""
    for what, amount in amounts:
        if abs(amount) > MAX_STORED:
            raise OutOfRange(what=f"the journal of {day}: {what}", total=amount, limit=MAX_STORED, field="day")


def export_journals(
    ctx: ServiceContext, start: date | str, end: date | str | None = None, *, format: str
) -> JournalExport:
    """The journals of a day (or of the days from `start` to `end`) in an accounting format.

    A posted day is exported from its frozen lines, so its export never changes. Xero and
    QuickBooks take no journal without lines: empty days are left out of their exports.
    """
    chosen = parse_format(format)
    first = parse_day(start, "from" if end is not None else "day")
    with ctx.reading() as uow:
        first, last = day_range(first, end, first)
        book = JournalBook(uow)
        views = [book.view(first + timedelta(days=n)) for n in range((last - first).days + 1)]
        conventions = export_conventions(uow)
        ids_from = quickbooks_chart(uow) if chosen is ExportFormat.QBO_JSON else None
    journals = [v.journal for v in views]
    if ids_from is not None:  # QuickBooks refers to accounts by Id
        journals = [with_account_ids(j, ids_from) for j in journals]
    if chosen is not ExportFormat.CSV and chosen is not ExportFormat.XERO_CSV:
        journals = [j for j in journals if j.lines]
        if not journals:
            raise InvalidInput("day", f"no journal lines from {first} to {last}; nothing to export")
    status = "POSTED" if all(v.status == "posted" for v in views) else "DRAFT"
    content = ctx.journal_exporters[chosen.value](journals, status, conventions)
    span = f"{first:%Y%m%d}" if first == last else f"{first:%Y%m%d}-{last:%Y%m%d}"
    return JournalExport(chosen.value, chosen.media_type, f"onhand-journal-{span}.{chosen.extension}", content)


def refuse_locked_period(uow: UnitOfWork, event: PostingsToWrite) -> None:
    """The subscriber the posting core publishes to before writing: nothing is posted
    effective on or before the period lock date."""
    check_open_period(uow, event.effective_at)


def check_open_period(uow: UnitOfWork, effective_at: datetime) -> None:
    """Refuse a posting effective on or before the period lock date (InvalidInput effective_at)."""
    lock = uow.company.lock_date()
    if lock is not None:
        check_not_locked(business_day(effective_at, time_zone(uow.company.get().timezone)), lock)

