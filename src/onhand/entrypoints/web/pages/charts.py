"""Charts that cost a query of their own, drawn apart from the page that shows them: the
item page asks for its stock-over-time chart once shown (htmx), the dashboard for the
stock's value; without JavaScript they link to these as pages of their own. Figures from
services/reports (trends.py, dashboard.py); geometry from entrypoints/web/charts.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from onhand import services
from onhand.domain.access.roles import Permission
from onhand.domain.errors import NotFound
from onhand.entrypoints.web.charts import bar_chart, line_chart
from onhand.entrypoints.web.rendering import is_htmx, render
from onhand.entrypoints.web.sessions import PageRefused, VisitorDep
from onhand.services.reports import dashboard
from onhand.services.reports.trends import DEFAULT_DAYS, MAX_DAYS

router = APIRouter(include_in_schema=False)


@router.get("/charts/stock-over-time")
def stock_over_time(
    request: Request, visitor: VisitorDep, sku: Annotated[str, Query(max_length=64)],
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = DEFAULT_DAYS,
) -> Response:
    visitor.require(Permission.READ)
    try:
        item = services.items.get_item(visitor.onhand, sku)
    except NotFound:
        raise PageRefused(404, f"No item has the SKU {sku}.") from None
    figures = services.trends.stock_over_time(visitor.onhand, item.sku, days=days)
    return render(request, "stock_chart.html" if is_htmx(request) else "stock_chart_page.html", {
        "visitor": visitor, "item": item, "over_time": figures,
        "over_time_chart": line_chart([(f"{f.day:%m-%d}", f.quantity) for f in figures]),
    })


@router.get("/charts/stock-value")
def stock_value(request: Request, visitor: VisitorDep) -> Response:
    visitor.require(Permission.READ)
    value = dashboard.stock_value(visitor.onhand)
    return render(request, "stock_value.html" if is_htmx(request) else "stock_value_page.html", {
        "visitor": visitor, "value": value, "value_chart": bar_chart(value.by_site),
    })
