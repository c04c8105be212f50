"""Safety stock from a service level: z × σ × √(lead time), z from the normal distribution.

σ is the standard deviation of daily demand; the lead time is in days. A service level is
the probability of not running out during one replenishment cycle (0.5 to 0.9999).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from statistics import NormalDist

from onhand.domain.errors import InvalidInput

MIN_SERVICE_LEVEL = Decimal("0.5")
MAX_SERVICE_LEVEL = Decimal("0.9999")


def check_service_level(level: Decimal, field: str = "service_level") -> Decimal:
    if not MIN_SERVICE_LEVEL <= level <= MAX_SERVICE_LEVEL:
        raise InvalidInput(field, f"must be from {MIN_SERVICE_LEVEL} to {MAX_SERVICE_LEVEL} (e.g. 0.95)")
    return level


def z_score(level: Decimal) -> Decimal:
    return Decimal(repr(NormalDist().inv_cdf(float(level))))


def safety_stock(level: Decimal, deviation: Decimal, lead_time_days: int, decimals: int) -> Decimal:
    """z × σ × √L, rounded up to the unit's decimals (never less cover than asked for)."""
    raw = z_score(level) * deviation * Decimal(lead_time_days).sqrt()
    return round_up(max(raw, Decimal(0)), decimals)


def round_up(quantity: Decimal, decimals: int) -> Decimal:
    step = Decimal(1).scaleb(-decimals)
    return quantity.quantize(step, rounding=ROUND_CEILING)
