"""Stock and shipments over time, for the pages' charts: an item's stock on hand at the end
of each of the last N days, and the units shipped on each of them.

Read models only, each one grouped query (`uow.ledger.daily_net_in`, `daily_moved`). Days
are UTC days by the postings' effective time; on hand counts every internal place, transit
ones too (what is on the road is still ours), as the stock report's on hand does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.postings import PostingKind
from onhand.services import resolve
from onhand.services.context import ServiceContext

DEFAULT_DAYS = 30
MAX_DAYS = 366
ZERO = Decimal(0)


@dataclass(frozen=True)
class DayFigure:
    day: date
    quantity: Decimal


def _days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"must be a whole number of days from 1 to {MAX_DAYS}")
    return days


def _window(ctx: ServiceContext, days: int) -> list[date]:
    today = ctx.now().astimezone(UTC).date()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def stock_over_time(ctx: ServiceContext, sku: str, *, days: int = DEFAULT_DAYS) -> tuple[DayFigure, ...]:
    """The item's stock on hand at the end of each of the last `days` days (today last)."""
    window = _window(ctx, _days(days))
    with ctx.reading() as uow:
        item = resolve.item(uow, sku)
        places = [place.id for place in uow.locations.all() if place.is_internal]
        changes = uow.ledger.daily_net_in(item_id=item.id, location_ids=places)
    running = sum((quantity for day, quantity in changes if day < window[0]), ZERO)
    by_day = dict(changes)
    figures = []
    for day in window:
        running += by_day.get(day, ZERO)
        figures.append(DayFigure(day, running))
    return tuple(figures)


def units_shipped_per_day(ctx: ServiceContext, *, days: int = DEFAULT_DAYS) -> tuple[DayFigure, ...]:
    """Units shipped to customers on each of the last `days` days (every item; today last)."""
    window = _window(ctx, _days(days))
    since = datetime(window[0].year, window[0].month, window[0].day, tzinfo=UTC)
    with ctx.reading() as uow:
        by_day = dict(uow.ledger.daily_moved(posting_kind=PostingKind.SHIPMENT.value, since=since))
    return tuple(DayFigure(day, by_day.get(day, ZERO)) for day in window)
