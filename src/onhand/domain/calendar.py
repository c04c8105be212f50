"""The business day: which calendar day a moment belongs to, in the company's time zone.

One home for the rule, asked by expiry checks, reports and journals alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from onhand.domain.errors import InvalidInput

# The moments Onhand takes: far enough inside datetime's years 1-9999 that the moment in
# any time zone (a business day, a report's date) is still a date.
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(9999, 12, 30, tzinfo=UTC)
# The dates Onhand takes (ship, expiry, production, journal days …): a century inside
# datetime's end, so that a date plus a shelf life (at most 36,500 days) is still a date.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9899, 12, 31)


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


def parse_moment(value: datetime | date | str, zone: ZoneInfo, field: str) -> datetime:
    """An aware UTC moment from ISO 8601 text, a datetime or a date (its start). Without
    an offset it is read in `zone` (the company's). Outside EARLIEST_MOMENT..LATEST_MOMENT
    it is refused, naming `field`."""
    moment: datetime
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            raise InvalidInput(field, f"{value!r} is not an ISO 8601 date or date and time") from None
    try:
        utc = (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
    except OverflowError:  # before year 1 or after 9999 in UTC: 9999-12-31T23:59:59-14:00
        utc = None
    if utc is None or not EARLIEST_MOMENT <= utc <= LATEST_MOMENT:
        raise InvalidInput(
            field, f"must be between {EARLIEST_MOMENT.date()} and {LATEST_MOMENT.date()} (UTC), got {value!s}"
        )
    return utc


def parse_date(value: date | str | None, field: str) -> date | None:
    """A calendar date from ISO `YYYY-MM-DD` text (or a date), within EARLIEST_DATE..LATEST_DATE;
    None for None or blank text."""
    if value is None:
        return None
    if isinstance(value, datetime):  # a datetime is a date too; its day is not what was meant
        raise InvalidInput(field, f"{value!s} is not a date (YYYY-MM-DD)")
    if not isinstance(value, date):
        if not value.strip():
            return None
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(field, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidInput(field, f"must be between {EARLIEST_DATE} and {LATEST_DATE}, got {value}")
    return value


def read_moment(value: datetime | date | str | None, field: str) -> datetime | date | None:
    """A moment as the edge can read it without the company's time zone: ISO 8601 text as
    a datetime (aware if it has an offset, naive if not) or, a bare `YYYY-MM-DD`, a date;
    None for None or blank text. The service makes it a moment with `parse_moment`."""
    if value is None or isinstance(value, datetime | date):
        return value
    text = value.strip()
    if not text:
        return None
    if len(text) == 10:
        return parse_date(text, field)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not an ISO 8601 date or date and time") from None
