"""How much the sales-order benchmark does at a given scale."""

from __future__ import annotations

from dataclasses import dataclass

# Scale 1: a couple of minutes on a 2-core machine, PostgreSQL included.
ITEMS = 200
SINGLE_LINE_ORDERS = 5_000
MULTI_LINE_ORDERS = 2_000
LINES_PER_MULTI_LINE_ORDER = 5
CLIENTS = 16  # concurrent clients of R16; fixed, the scale changes their orders
ORDERS_PER_CLIENT = 500
RACE_ITEMS = 32  # of which SCARCE_ITEMS hold less than is asked for
SCARCE_ITEMS = 8


@dataclass(frozen=True)
class OrderCounts:
    items: int
    single_line: int
    multi_line: int
    lines_per_multi_line: int
    clients: int
    orders_per_client: int
    race_items: int
    scarce_items: int


def order_counts_for(scale: float) -> OrderCounts:
    """Every order count times `scale`, rounded, at least one; enough items for a 5-line order."""
    if scale <= 0:
        raise ValueError("scale must be greater than zero")

    def scaled(count: int, least: int = 1) -> int:
        return max(least, round(count * scale))

    return OrderCounts(
        items=scaled(ITEMS, 2 * LINES_PER_MULTI_LINE_ORDER),
        single_line=scaled(SINGLE_LINE_ORDERS),
        multi_line=scaled(MULTI_LINE_ORDERS),
        lines_per_multi_line=LINES_PER_MULTI_LINE_ORDER,
        clients=CLIENTS,
        orders_per_client=scaled(ORDERS_PER_CLIENT),
        race_items=RACE_ITEMS,
        scarce_items=SCARCE_ITEMS,
    )
