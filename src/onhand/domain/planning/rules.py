"""Reorder rules: when an item at a site needs stock, and how much to get.

A rule belongs to an item and a site (a warehouse, store or 3PL: its bins are rolled up).
The **reorder point** (the minimum) is given, or, left out, computed as the demand over the
lead time plus the safety stock. Below it, the rule asks for:

- up to `maximum` (min/max), when a maximum is given;
- else whole `reorder_quantity` lots (reorder point and order quantity), as many as bring
  the position back to the reorder point;
- else just back up to the reorder point.

Safety stock is a fixed quantity, or z × σ × √(lead time) from a service level.
Supplier quantities (minimum order quantity, order multiple) round a purchase up.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

from onhand.domain.errors import InvalidInput
from onhand.domain.planning.safety_stock import round_up

ZERO = Decimal(0)
MAX_QUANTITY = Decimal(10) ** 9


class ReorderRule(NamedTuple):
    """A rule as stored (a named tuple: suggestions read 100,000 of them at once)."""

    id: int
    item_id: int
    sku: str
    site_id: int
    site: str
    minimum: Decimal | None  # the reorder point; None: lead-time demand + safety stock
    maximum: Decimal | None
    reorder_quantity: Decimal | None
    safety_stock: Decimal | None
    service_level: Decimal | None  # instead of a fixed safety stock
    supplier_id: int | None
    supplier: str | None
    lead_time_days: int | None  # None: the supplier's
    min_order_quantity: Decimal | None  # None: the supplier price's
    order_multiple: Decimal | None  # None: the supplier price's pack size
    demand_window_days: int


def check_quantities(
    *, minimum: Decimal | None, maximum: Decimal | None, reorder_quantity: Decimal | None
) -> None:
    """What only the combination of a rule's quantities can get wrong."""
    if maximum is not None and reorder_quantity is not None:
        raise InvalidInput("reorder_quantity", "give a maximum (min/max) or a reorder quantity, not both")
    if maximum is not None and minimum is not None and maximum < minimum:
        raise InvalidInput("maximum", f"must be at least the minimum {minimum}")
    if reorder_quantity is not None and reorder_quantity <= 0:
        raise InvalidInput("reorder_quantity", "must be more than 0")


def reorder_point(
    minimum: Decimal | None, *, daily_demand: Decimal, lead_time_days: int, safety: Decimal, decimals: int
) -> Decimal:
    """The given minimum, or lead-time demand + safety stock rounded up to the unit."""
    if minimum is not None:
        return minimum
    return round_up(daily_demand * lead_time_days + safety, decimals)


def shortfall(
    position: Decimal, point: Decimal, *, maximum: Decimal | None, reorder_quantity: Decimal | None
) -> Decimal:
    """How much the rule asks for at this position (0 when at or above the reorder point)."""
    if position >= point:
        return ZERO
    if maximum is not None:
        return maximum - position
    if reorder_quantity is not None:
        lots = ((point - position) / reorder_quantity).to_integral_value(rounding=ROUND_CEILING)
        return lots * reorder_quantity
    return point - position


def order_size(quantity: Decimal, *, min_order_quantity: Decimal | None, multiple: Decimal | None) -> Decimal:
    """`quantity` raised to the minimum order quantity, then up to a whole multiple."""
    if quantity <= 0:
        return ZERO
    size = max(quantity, min_order_quantity or ZERO)
    if multiple is not None and multiple > 0:
        size = (size / multiple).to_integral_value(rounding=ROUND_CEILING) * multiple
    return size


def surplus(position: Decimal, point: Decimal, available_now: Decimal) -> Decimal:
    """What a site can give away: what it has now, as far as its position stays at its
    own reorder point (a site without a rule keeps nothing back)."""
    return max(ZERO, min(available_now, position - point))
