"""The FBA inventory report GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA → units at Amazon per SKU.

Tab-separated with a header row, read by column name. The units Onhand books at the FBA
location are the sellable ones in Amazon's warehouses: `afn-fulfillable-quantity` plus
`afn-reserved-quantity` (held for customer orders and warehouse transfers, still there);
unsellable units (damaged, defective) and inbound shipments are left out.
"""

from __future__ import annotations

import csv
import io

from onhand.adapters.channels.amazon.orders import quantity
from onhand.domain.errors import InvalidInput

MAX_ROWS = 100_000
COLUMNS = ("sku", "afn-fulfillable-quantity", "afn-reserved-quantity")


def parse_inventory_report(text: str) -> dict[str, int]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput("report", f"missing column(s): {', '.join(missing)}")
    units: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise InvalidInput("report", f"has more than {MAX_ROWS} rows")
        field = f"report row {number}"
        sku = (row.get("sku") or "").strip()
        if not sku:
            raise InvalidInput(f"{field}.sku", "is required")
        counted = sum(int(quantity((row.get(name) or "0").strip() or "0", f"{field}.{name}"))
                      for name in COLUMNS[1:])
        units[sku] = units.get(sku, 0) + counted
    return units
