"""Xero: a daily journal as a manual journal (Accounting API JSON), built with the xero-python SDK.

The JSON is what `AccountingApi.create_manual_journals` sends: a `ManualJournals`
model holding one `ManualJournal`, serialized by the SDK's own serializer (amounts as
JSON numbers, the date in Microsoft JSON form `/Date(ms)/`, as the SDK sends it).
Amounts are positive for debits, negative for credits. A location tracking category
becomes the line's `Tracking` (name and option).

The CSV import template needs no SDK: `xero_csv.py` (its names are re-exported here);
the tax rate's name and the date format are the organisation's (its region's unless set:
`domain/accounting/regions.py`).
"""

from __future__ import annotations

import json
from decimal import Decimal

from xero_python.accounting import LineAmountTypes, ManualJournal, ManualJournalLine, ManualJournals, TrackingCategory
from xero_python.api_client.serializer import serialize

from onhand.adapters.accounting.xero_csv import XERO_CSV_COLUMNS, XERO_CSV_MAX_LINES, manual_journal_csv
from onhand.domain.accounting.journal import Journal, JournalLine
from onhand.domain.errors import InvalidInput

__all__ = ["XERO_CSV_COLUMNS", "XERO_CSV_MAX_LINES", "manual_journal_csv", "manual_journals_json"]

XERO_STATUSES = ("DRAFT", "POSTED")


def _number(amount: Decimal) -> float:
    """The SDK sends amounts as JSON numbers; refuse one a float cannot carry to the cent."""
    number = float(amount)
    if Decimal(repr(number)) != amount:
        raise InvalidInput("amount", f"{amount} cannot be sent exactly as a JSON number")
    return number


def _line(journal: Journal, line: JournalLine, tax_type: str | None) -> ManualJournalLine:
    tracking = None
    if journal.tracking_category and line.tracking_option:
        tracking = [TrackingCategory(name=journal.tracking_category, option=line.tracking_option)]
    return ManualJournalLine(
        line_amount=_number(line.amount),
        account_code=line.account,
        description=line.description,
        tax_type=tax_type,
        tracking=tracking,
    )


def manual_journal(journal: Journal, *, status: str = "POSTED", tax_type: str | None = None) -> ManualJournal:
    """The SDK model of one day's journal (no tax: `LineAmountTypes.NOTAX`)."""
    if status not in XERO_STATUSES:
        raise InvalidInput("status", f"must be one of {', '.join(XERO_STATUSES)}")
    if len(journal.lines) < 2:
        raise InvalidInput("journal", f"the journal of {journal.day} has fewer than two lines; nothing to send")
    return ManualJournal(
        narration=f"{journal.narration} ({journal.reference})",
        journal_lines=[_line(journal, line, tax_type) for line in journal.lines],
        date=journal.day,
        line_amount_types=LineAmountTypes.NOTAX,
        status=status,
        show_on_cash_basis_reports=False,
        has_attachments=None,
    )


def manual_journals_payload(journals: list[Journal], *, status: str = "POSTED", tax_type: str | None = None) -> object:
    """The request body of `create_manual_journals`, as the SDK serializes it."""
    models = ManualJournals(manual_journals=[manual_journal(j, status=status, tax_type=tax_type) for j in journals])
    return serialize(models)


def manual_journals_json(journals: list[Journal], *, status: str = "POSTED", tax_type: str | None = None) -> str:
    """The same body as canonical JSON text (sorted keys): byte-identical for the same journals."""
    payload = manual_journals_payload(journals, status=status, tax_type=tax_type)
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
