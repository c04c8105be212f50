"""Read models of the catalog: the company and its reason codes, plain and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Company:
    name: str
    timezone: str
    currency: str
    # Days of shelf life a lot must still have on the ship date (items may override).
    min_remaining_shelf_life_days: int = 0
    # Percent a purchase receipt may exceed the ordered quantity (suppliers may override).
    over_receipt_tolerance_pct: Decimal = Decimal(0)
    # Whether shipments may ship the serials allocation reserved without their being
    # confirmed (scanned at pick or named on the shipment). Off: they must be.
    auto_assign_serials: bool = False


@dataclass(frozen=True)
class ReasonCode:
    code: str
    description: str
