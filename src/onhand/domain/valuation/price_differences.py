"""Where the difference goes when a receipt is at another unit cost than its order's (the
supplier invoiced more or less): the company's costing setting.

- `to_stock` (default): the receipt's cost layers take the invoiced cost; inventory and
  goods received are booked at it. Right for FIFO and moving average, where stock is
  valued at what it actually cost.
- `variance`: the layers keep the order's cost (a standard-cost style: stock valued at
  the agreed price); the difference, quantity × (invoiced − ordered), goes to the
  purchase price variance account in the daily journal, and goods received is credited
  with the invoiced amount, as the supplier's bill will clear it.
"""

from __future__ import annotations

from enum import StrEnum

from onhand.domain.choices import parse_choice


class PriceDifferences(StrEnum):
    TO_STOCK = "to_stock"
    VARIANCE = "variance"


def parse_price_differences(value: str | None, field: str = "purchase_price_differences") -> PriceDifferences:
    return parse_choice(PriceDifferences, value or "", field)
