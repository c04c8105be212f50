"""Sales orders: their states, and the arithmetic of a line's quantities.

A line's ordered quantity is split, at any moment, into what is shipped, what is
reserved (promised from a location and lot, possibly already picked) and what is
backordered (neither): ordered = shipped + reserved + backordered while the order is
open. Cancelling releases every reservation; what was shipped stays shipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.money import currency_code, money

CHANNEL_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,31}$")


class OrderStatus(StrEnum):
    OPEN = "open"  # not allocated yet
    BACKORDERED = "backordered"  # some open quantity could not be reserved
    ALLOCATED = "allocated"  # everything still open is reserved
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"  # every line shipped in full
    CANCELLED = "cancelled"


EDITABLE = frozenset({OrderStatus.OPEN, OrderStatus.BACKORDERED, OrderStatus.ALLOCATED})
ACTIVE = EDITABLE | {OrderStatus.PARTIALLY_SHIPPED}


@dataclass(frozen=True)
class LineProgress:
    ordered: Decimal
    reserved: Decimal
    picked: Decimal
    shipped: Decimal
    returned: Decimal = Decimal(0)

    @property
    def open(self) -> Decimal:
        """Still to be shipped."""
        return max(self.ordered - self.shipped, Decimal(0))

    @property
    def backordered(self) -> Decimal:
        return max(self.ordered - self.shipped - self.reserved, Decimal(0))


def kit_progress(
    ordered: Decimal, components: list[tuple[Decimal, LineProgress]], decimals: int = 0
) -> LineProgress:
    """A bundle line's progress from its components' lines, given as (quantity per
    bundle, progress): a bundle counts as reserved, picked, shipped or returned only when
    every one of its components is (whole bundles, in the bundle's unit)."""
    if not components:
        return LineProgress(ordered, Decimal(0), Decimal(0), Decimal(0))
    step = Decimal(1).scaleb(-decimals)

    def kits(stage: str) -> Decimal:
        whole = min(getattr(progress, stage) / per_kit for per_kit, progress in components)
        return whole.quantize(step, rounding=ROUND_FLOOR)

    return LineProgress(ordered, kits("reserved"), kits("picked"), kits("shipped"), kits("returned"))


def order_status(lines: list[LineProgress], *, cancelled: bool, allocated: bool) -> OrderStatus:
    """The status an order's facts imply: cancelled, allocation attempted, line progress."""
    if cancelled:
        return OrderStatus.CANCELLED
    if lines and all(line.open == 0 for line in lines):
        return OrderStatus.SHIPPED
    if any(line.shipped > 0 for line in lines):
        return OrderStatus.PARTIALLY_SHIPPED
    if not allocated:
        return OrderStatus.OPEN
    if any(line.backordered > 0 for line in lines):
        return OrderStatus.BACKORDERED
    return OrderStatus.ALLOCATED


def require_editable(status: OrderStatus, reference: str) -> None:
    if status not in EDITABLE:
        raise Conflict(f"order: {reference} is {status.value} and can no longer be changed")


def require_active(status: OrderStatus, reference: str) -> None:
    if status not in ACTIVE:
        raise Conflict(f"order: {reference} is {status.value}")


def validate_channel(channel: str, field: str = "channel") -> str:
    channel = channel.strip().lower()
    if not CHANNEL_PATTERN.match(channel):
        raise InvalidInput(field, f"{channel!r} is not a channel name (a-z, 0-9, _ -; up to 32)")
    return channel


def validate_currency(currency: str, field: str = "currency") -> str:
    return currency_code(currency.strip().upper(), field)


def validate_unit_price(price: object, field: str) -> Decimal:
    """A price per unit as given (text or number): see `domain/money.py: money`."""
    return money(price, field)


def validate_ship_date(requested: date | None, today: date, field: str = "requested_ship_date") -> date:
    """A missing ship date means as soon as possible: today."""
    if requested is None:
        return today
    return requested
