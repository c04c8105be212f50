"""A plain CSV of journals: one row per line, debit and credit in their own columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from onhand.domain.accounting.journal import Journal

CSV_COLUMNS = (
    "journal_date",
    "reference",
    "line",
    "account_code",
    "account_role",
    "description",
    "tracking_category",
    "tracking_option",
    "effective_date",
    "debit",
    "credit",
    "currency",
)


def journal_csv(journals: Iterable[Journal]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for journal in journals:
        for number, line in enumerate(journal.lines, 1):
            writer.writerow(
                (
                    journal.day.isoformat(),
                    journal.reference,
                    number,
                    line.account,
                    line.role.value,
                    line.description,
                    journal.tracking_category or "",
                    line.tracking_option or "",
                    line.effective_day.isoformat(),
                    str(line.debit) if line.debit else "",
                    str(line.credit) if line.credit else "",
                    journal.currency,
                )
            )
    return out.getvalue()
