"""The business day: which calendar day a moment belongs to, in the company's time zone.

One home for the rule, asked by expiry checks, reports and journals alike.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from onhand.domain.errors import InvalidInput


def time_zone(name: str, field: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(field, f"{name!r} is not a known IANA time zone") from None


def business_day(moment: datetime, zone: ZoneInfo) -> date:
    """The company-local date of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("business_day needs an aware datetime")
    return moment.astimezone(zone).date()
