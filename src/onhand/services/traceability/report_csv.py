"""The recall report as CSV: one row per customer who holds some of a recalled lot, then
one per place that still holds some of it (directly or inside products)."""

from __future__ import annotations

import csv
import io

from onhand.services.traceability.views import RecallReport

COLUMNS = ("section", "recalled_sku", "recalled_lot", "customer_code", "customer", "email", "orders",
           "sku", "lot", "location", "quantity", "of_recalled_lot", "first_shipped", "last_shipped")


def recall_report_csv(report: RecallReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in report.customers:
        writer.writerow(["customer", c.sku, c.lot, c.customer_code or "", _safe(c.customer), c.email or "",
                         " ".join(c.orders), "", "", "", "", c.total, c.first_shipped.isoformat(),
                         c.last_shipped.isoformat()])
    for s in report.trace.stock:
        for h in s.holds:
            section = "in_transit" if s.in_transit else "on_hand"
            writer.writerow([section, h.sku, h.lot, "", "", "", "", s.sku, s.lot, s.location, s.on_hand,
                             h.quantity, "", ""])
    return out.getvalue()


def _safe(text: str | None) -> str:
    """No cell a spreadsheet would run as a formula."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
