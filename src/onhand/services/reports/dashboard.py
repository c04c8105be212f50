"""The dashboard: stock at a glance, from the same reports the API and CLI give.

Totals of on hand / available / in transit / incoming per item, lots
expiring within N days (the expiry rule of `domain/catalog/lots.py`), orders waiting for
stock, transfers on their way and units shipped per day; and, apart (`stock_value`: it
reads every cost layer), the stock's value in all and per site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.lots import is_expired
from onhand.domain.errors import InvalidInput
from onhand.services.catalog import company, locations
from onhand.services.context import ServiceContext
from onhand.services.orders import sales_orders
from onhand.services.orders.views import SalesOrderView
from onhand.services.reports import stock, trends
from onhand.services.transfers import transfer_orders
from onhand.services.transfers.views import TransferView
from onhand.services.valuation import reports as valuation
from onhand.services.views import StockLevel

MAX_EXPIRY_DAYS = 3650
# The dashboard shows the first of each list; its pages list the rest.
LIST_LIMIT = 20


@dataclass(frozen=True)
class StockValue:
    """What the stock is worth, in all and per site (each top-level place with everything
    under it), highest first."""

    currency: str
    total: Decimal
    by_site: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Dashboard:
    today: date
    items: tuple[StockLevel, ...]  # per item: on hand, available, in transit, incoming
    expiring_lots: tuple[StockLevel, ...]  # per lot with stock, expiring within `expiry_days` or expired
    expiry_days: int
    waiting_orders: tuple[SalesOrderView, ...]
    transfers_in_transit: tuple[TransferView, ...]
    shipped_per_day: tuple[trends.DayFigure, ...] = ()  # the last 30 days, today last

    def expired(self, level: StockLevel) -> bool:
        return is_expired(level.expiry_date, self.today)


def dashboard(ctx: ServiceContext, *, expiry_days: int = 30) -> Dashboard:
    if isinstance(expiry_days, bool) or not isinstance(expiry_days, int) or not 0 <= expiry_days <= MAX_EXPIRY_DAYS:
        raise InvalidInput("expiry_days", f"must be a whole number of days from 0 to {MAX_EXPIRY_DAYS}")
    settings = company.get_company(ctx)
    today = business_day(ctx.now(), time_zone(settings.timezone))
    horizon = today + timedelta(days=expiry_days)
    lots = [
        level for level in stock.stock_levels(ctx, group_by="lot").levels
        if level.lot and level.expiry_date is not None and level.expiry_date <= horizon and level.on_hand > 0
    ]
    lots.sort(key=lambda level: (level.expiry_date or date.max, level.sku, level.lot or ""))
    waiting = sales_orders.list_orders(ctx, status="backordered", limit=LIST_LIMIT)
    moving = [
        transfer for status in ("in_transit", "partially_received")
        for transfer in transfer_orders.list_transfers(ctx, status=status, limit=LIST_LIMIT)
    ]
    return Dashboard(
        today=today,
        items=stock.stock_levels(ctx, group_by="item").levels, expiring_lots=tuple(lots[:LIST_LIMIT]),
        expiry_days=expiry_days, waiting_orders=tuple(waiting), transfers_in_transit=tuple(moving[:LIST_LIMIT]),
        shipped_per_day=trends.units_shipped_per_day(ctx),
    )


def stock_value(ctx: ServiceContext) -> StockValue:
    """The valuation report (the dashboard's costliest part, so asked for on its own)
    summed per site: a place's site is its root, its path's first id."""
    value = valuation.valuation_report(ctx, group_by="location")
    places = locations.list_locations(ctx)
    codes = {place.id: place.code for place in places}
    site_of = {place.code: codes[place.path[0]] if place.path else place.code for place in places}
    by_site: dict[str, Decimal] = {}
    for line in value.lines:
        site = site_of.get(line.location or "", line.location or "")
        by_site[site] = by_site.get(site, Decimal(0)) + line.value
    ranked = tuple(sorted(by_site.items(), key=lambda entry: (-entry[1], entry[0])))
    return StockValue(currency=value.currency, total=value.total_value, by_site=ranked)
