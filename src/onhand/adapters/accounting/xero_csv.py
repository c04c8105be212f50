"""Xero's manual journal import template, filled in (no SDK needed).

The columns of `XERO_CSV_COLUMNS` (an asterisk marks a mandatory one), dates as the
organisation's region writes them, one row per line, signed amounts; Xero takes at most 300 lines per file.
"""

from __future__ import annotations

import csv
import io

from onhand.domain.accounting.journal import Journal
from onhand.domain.errors import InvalidInput

XERO_CSV_COLUMNS = (
    "*Narration",
    "*Date",
    "Description",
    "*AccountCode",
    "*TaxRate",
    "*Amount",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
)
XERO_CSV_MAX_LINES = 300


def manual_journal_csv(journals: list[Journal], *, tax_rate: str = "Tax Exempt", date_format: str = "%d/%m/%Y") -> str:
    """Xero's manual journal import template, filled in. `tax_rate` is the rate's name in the
    organisation's tax settings (e.g. "Tax Exempt", "No GST", "No VAT"), `date_format` a
    strftime pattern of how its region writes dates."""
    rows = [(journal, line) for journal in journals for line in journal.lines]
    if len(rows) > XERO_CSV_MAX_LINES:
        raise InvalidInput("journals", f"{len(rows)} lines; Xero imports at most {XERO_CSV_MAX_LINES} per file")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(XERO_CSV_COLUMNS)
    for journal, line in rows:
        tracked = bool(journal.tracking_category and line.tracking_option)
        writer.writerow(
            (
                f"{journal.narration} ({journal.reference})",
                journal.day.strftime(date_format),
                line.description,
                line.account,
                tax_rate,
                str(line.amount),  # already in the currency's minor unit
                journal.tracking_category if tracked else "",
                line.tracking_option if tracked else "",
                "",
                "",
            )
        )
    return out.getvalue()
