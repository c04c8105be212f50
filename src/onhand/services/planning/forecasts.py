"""Reads of one item's outlook: projected stock by day at a site, and demand from history."""

from __future__ import annotations

from datetime import date, timedelta

from onhand.domain.errors import InvalidInput
from onhand.domain.planning.demand import MAX_WINDOW_DAYS
from onhand.domain.planning.forecasting import (
    DemandMethod,
    check_window,
    daily_series,
    forecast,
    moving_average,
    parse_demand_method,
)
from onhand.domain.planning.projection import MAX_HORIZON_DAYS
from onhand.domain.planning.views import DemandView, ProjectionView
from onhand.services import resolve
from onhand.services.context import ServiceContext, today
from onhand.services.planning import snapshot
from onhand.services.planning.plans import plan
from onhand.services.planning.rules import site

DEFAULT_DAYS = 60
# Item-sites one demand request may fit models for (a fit takes a tenth of a second or more).
MAX_SMOOTHED = 200


def _days(days: int, field: str, high: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= high:
        raise InvalidInput(field, f"must be a whole number from 1 to {high}")
    return days


def projected_stock(ctx: ServiceContext, *, sku: str, site_code: str, days: int = DEFAULT_DAYS) -> ProjectionView:
    """Available to promise by day for `days` days from today, with the first day below the
    rule's reorder point and the first day at or below zero (average demand taken too)."""
    _days(days, "days", MAX_HORIZON_DAYS)
    with ctx.reading() as uow:
        item = resolve.item(uow, sku)
        place = site(uow, site_code)
        day = today(ctx, uow)
        snap = snapshot.load(uow, today=day, now=ctx.now(), item_ids=[item.id])
        planned = plan(snap, (item.id, place.id), {})
        projection = planned.projection(snap, days)
    return ProjectionView(
        sku=item.sku, site=place.code, on_hand=projection.on_hand, position=projection.position,
        minimum=planned.point if planned.rule else None, average_daily_demand=planned.demand.average,
        first_below_minimum=projection.first_below_minimum, first_stock_out=projection.first_stock_out,
        days=projection.days,
    )


def demand_history(
    ctx: ServiceContext, *, sku: str | None = None, site_code: str | None = None, window_days: int = 90,
    demand_method: str = DemandMethod.MOVING_AVERAGE.value,
) -> list[DemandView]:
    """Average daily demand and its deviation per item and site over the last `window_days`
    whole days (today, not over yet, is left out), from shipments less returns, assemblies
    passed to components; with the method's daily forecast and its error on the window's
    last days held back (`domain/planning/forecasting.py`), the moving average's beside it."""
    _days(window_days, "window_days", MAX_WINDOW_DAYS)
    method = parse_demand_method(demand_method)
    check_window(method, window_days)
    smoothing = ctx.demand_smoothing() if method is DemandMethod.EXPONENTIAL_SMOOTHING else moving_average
    with ctx.reading() as uow:
        item_ids = None if sku is None else [resolve.item(uow, sku).id]
        only = None if site_code is None else site(uow, site_code).id
        day: date = today(ctx, uow)
        snap = snapshot.load(uow, today=day, now=ctx.now(), item_ids=item_ids, windows={window_days})
        found = {key: demand for key, demand in snap.demand.get(window_days, {}).items()
                 if (item_ids is None or key[0] in item_ids) and (only is None or key[1] == only)}
        if method is DemandMethod.EXPONENTIAL_SMOOTHING and len(found) > MAX_SMOOTHED:
            raise InvalidInput("demand_method", f"exponential smoothing fits a model per item and site: at most "
                                                f"{MAX_SMOOTHED} at once ({len(found)} asked); give a SKU or a site")
        daily = snapshot.load_daily(uow, today=day, now=ctx.now(), item_ids=item_ids, window=window_days)
        skus = {i.id: i.sku for i in uow.items.by_ids(sorted({k[0] for k in found})).values()} if found else {}
    first = day - timedelta(days=window_days)
    rows = []
    for (item_id, site_id), demand in found.items():
        judged = forecast(daily_series(daily.get((item_id, site_id), {}), first, window_days), method, smoothing)
        rows.append(DemandView(
            sku=skus[item_id], site=snap.sites[site_id].code, window_days=window_days, total=demand.total,
            average_daily=demand.average, deviation=demand.deviation,
            from_assemblies=snap.from_assemblies((item_id, site_id), window_days), demand_method=method.value,
            forecast_daily=judged.daily, held_back_days=judged.held_back_days,
            mean_absolute_error=judged.error, moving_average_mean_absolute_error=judged.moving_average_error,
        ))
    return sorted(rows, key=lambda r: (r.sku, r.site))
