"""The journal export formats by name, as the services ask for them (see services/accounting/journals.py).

Each takes the journals, a status ("POSTED" when every journal is posted, else
"DRAFT"; only the Xero API body carries it) and the company's conventions (the tax rate
name and date format the Xero CSV uses) and returns the text to hand over. The Xero
API and QuickBooks formats are built with their SDKs, imported on first use (`sdks.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from onhand.adapters.accounting import csv_export, xero_csv
from onhand.adapters.accounting.sdks import load
from onhand.domain.accounting.journal import Journal
from onhand.domain.accounting.regions import Conventions

JournalExporter = Callable[[list[Journal], str, Conventions], str]


def _xero_json(journals: list[Journal], status: str, _conventions: Conventions) -> str:
    xero = load("onhand.adapters.accounting.xero", "xero", "format")
    return str(xero.manual_journals_json(journals, status=status))


def _xero_csv(journals: list[Journal], _status: str, conventions: Conventions) -> str:
    # A template: no SDK.
    return xero_csv.manual_journal_csv(journals, tax_rate=conventions.tax_rate,
                                       date_format=conventions.date_format.pattern)


def _qbo_json(journals: list[Journal], _status: str, _conventions: Conventions) -> str:
    """One day: the JournalEntry body; several: a JSON array of them, one per day."""
    quickbooks = load("onhand.adapters.accounting.quickbooks", "quickbooks", "format")
    entries = [quickbooks.journal_entry_json(journal) for journal in journals]
    return str(entries[0]) if len(entries) == 1 else "[" + ",\n".join(entries) + "]"


def _csv(journals: list[Journal], _status: str, _conventions: Conventions) -> str:
    return csv_export.journal_csv(journals)


def journal_exporters() -> dict[str, JournalExporter]:
    return {"xero-json": _xero_json, "xero-csv": _xero_csv, "qbo-json": _qbo_json, "csv": _csv}
