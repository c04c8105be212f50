"""The flat-file order report GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL →
`AmazonOrder` records, for a bulk back-fill.

Tab-separated, a header row, one row per order item. Columns are read by header name,
never by position (real files add and drop columns); `item-price` is the line total, as
in the API; `fulfillment-channel` says Amazon/Merchant and a cancelled row is spelled
`Cancelled` (two l's, unlike the API's `Canceled`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import replace

from onhand.adapters.channels.amazon.orders import order_id, quantity
from onhand.domain.channels.amazon import AmazonOrder, AmazonOrderLine, fulfilment
from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import parse_decimal

MAX_ROWS = 100_000
REQUIRED = ("amazon-order-id", "last-updated-date", "order-status", "fulfillment-channel", "sku", "quantity")


def _cell(row: dict[str, str], name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def parse_order_report(text: str) -> list[AmazonOrder]:
    """The orders of a report, in the order they first appear; an error names row and column."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput("report", f"missing column(s): {', '.join(missing)}")
    headers: dict[str, AmazonOrder] = {}
    lines: dict[str, list[AmazonOrderLine]] = defaultdict(list)
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise InvalidInput("report", f"has more than {MAX_ROWS} rows")
        field = f"report row {number}"
        key = order_id(_cell(row, "amazon-order-id"), f"{field}.amazon-order-id")
        status = _cell(row, "order-status") or ""
        headers.setdefault(key, AmazonOrder(
            amazon_order_id=key,
            status="Canceled" if status == "Cancelled" else status,
            fulfilment=fulfilment(_cell(row, "fulfillment-channel"), f"{field}.fulfillment-channel"),
            last_update=_cell(row, "last-updated-date") or "",
            currency=_cell(row, "currency"),
            city=_cell(row, "ship-city"), region=_cell(row, "ship-state"),
            postal_code=_cell(row, "ship-postal-code"), country=_cell(row, "ship-country"),
        ))
        price = _cell(row, "item-price")
        sku = _cell(row, "sku")
        if sku is None:
            raise InvalidInput(f"{field}.sku", "is required")
        # The report has no order-item id: the SKU names the line (repeated: numbered).
        seen = sum(1 for line in lines[key] if line.seller_sku == sku)
        lines[key].append(AmazonOrderLine(
            order_item_id=sku if not seen else f"{sku}#{seen + 1}", seller_sku=sku, asin=_cell(row, "asin"),
            quantity=quantity(_cell(row, "quantity") or "", f"{field}.quantity"),
            item_price=parse_decimal(price, f"{field}.item-price") if price else None,
        ))
    return [replace(order, lines=tuple(lines[key])) for key, order in headers.items()]
