"""Availability: how much can be promised now. One home for the rule.

Stock counts as available only at a sellable internal location (never in transit),
in a usable lot (released and not expired), and only what is not already reserved.
"""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal(0)


def available(on_hand: Decimal, reserved: Decimal, *, sellable: bool, lot_usable: bool) -> Decimal:
    if not sellable or not lot_usable:
        return ZERO
    return max(on_hand - reserved, ZERO)
