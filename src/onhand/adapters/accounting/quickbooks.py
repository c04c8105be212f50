"""QuickBooks Online: a daily journal as a `JournalEntry`, built with python-quickbooks objects.

Each line becomes a `JournalEntryLine` whose `JournalEntryLineDetail` has
`PostingType` Debit or Credit, a positive `Amount` and an `AccountRef`. QBO refers to
accounts by id: `account_ids` maps Onhand's account codes to QBO account ids (a code
not in it is sent as is, for companies that configured QBO ids as codes). A location
tracking category becomes a `DepartmentRef` (QBO "Locations") when `department_ids`
maps the location code; otherwise the location is named in the line description.

`journal_entry_json` is `JournalEntry.to_json()`: the body `JournalEntry.save()`
would POST to `/v3/company/<realm>/journalentry`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from quickbooks.objects.base import Ref
from quickbooks.objects.journalentry import JournalEntry, JournalEntryLine, JournalEntryLineDetail

from onhand.domain.accounting.journal import Journal, JournalLine
from onhand.domain.errors import InvalidInput

DOC_NUMBER_MAX = 21  # QBO's limit on DocNumber


def _ref(value: str, name: str | None = None) -> Ref:
    ref = Ref()
    ref.value = value
    ref.name = name  # type: ignore[assignment]  # None is dropped by to_json
    ref.type = None  # type: ignore[assignment]
    return ref


def _amount(amount: Decimal) -> float:
    number = float(amount)
    if Decimal(repr(number)) != amount:
        raise InvalidInput("amount", f"{amount} cannot be sent exactly as a JSON number")
    return number


def _line(
    number: int, journal: Journal, line: JournalLine, account_ids: Mapping[str, str], department_ids: Mapping[str, str]
) -> JournalEntryLine:
    detail = JournalEntryLineDetail()
    detail.PostingType = "Debit" if line.amount > 0 else "Credit"
    detail.AccountRef = _ref(account_ids.get(line.account, line.account))
    # No sales tax on inventory summaries: leave the tax fields out of the payload.
    detail.TaxApplicableOn = None  # type: ignore[assignment]
    detail.TaxAmount = None  # type: ignore[assignment]
    description = line.description
    if journal.tracking_category and line.tracking_option:
        department = department_ids.get(line.tracking_option)
        if department is not None:
            detail.DepartmentRef = _ref(department, line.tracking_option)
        else:
            description = f"{description} [{journal.tracking_category}: {line.tracking_option}]"
    entry_line = JournalEntryLine()
    entry_line.LineNum = number
    entry_line.Description = description
    entry_line.Amount = _amount(abs(line.amount))
    entry_line.JournalEntryLineDetail = detail
    return entry_line


def journal_entry(
    journal: Journal,
    *,
    account_ids: Mapping[str, str] | None = None,
    department_ids: Mapping[str, str] | None = None,
) -> JournalEntry:
    if len(journal.lines) < 2:
        raise InvalidInput("journal", f"the journal of {journal.day} has fewer than two lines; nothing to send")
    if len(journal.reference) > DOC_NUMBER_MAX:
        raise InvalidInput("reference", f"QuickBooks takes at most {DOC_NUMBER_MAX} characters as DocNumber")
    entry = JournalEntry()
    entry.TxnDate = journal.day.isoformat()
    entry.DocNumber = journal.reference
    entry.PrivateNote = journal.narration
    entry.CurrencyRef = _ref(journal.currency)
    entry.TotalAmt = None  # type: ignore[assignment]  # read-only in QBO, computed by it
    entry.Line = [
        _line(number, journal, line, account_ids or {}, department_ids or {})
        for number, line in enumerate(journal.lines, 1)
    ]
    return entry


def journal_entry_json(
    journal: Journal,
    *,
    account_ids: Mapping[str, str] | None = None,
    department_ids: Mapping[str, str] | None = None,
) -> str:
    """The SDK's own JSON of the entry (sorted keys, so byte-identical for the same journal)."""
    return journal_entry(journal, account_ids=account_ids, department_ids=department_ids).to_json()
