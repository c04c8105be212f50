"""The dashboard: stock at a glance (services/reports/dashboard.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from onhand.domain.access.roles import Permission
from onhand.entrypoints.web.charts import bar_chart
from onhand.entrypoints.web.rendering import render
from onhand.entrypoints.web.sessions import VisitorDep
from onhand.services.planning import alerts as planning_alerts
from onhand.services.reports import dashboard as dashboards

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard(
    request: Request, visitor: VisitorDep,
    expiry_days: Annotated[int, Query(ge=0, le=dashboards.MAX_EXPIRY_DAYS)] = 30,
) -> Response:
    visitor.require(Permission.READ)
    board = dashboards.dashboard(visitor.onhand, expiry_days=expiry_days)
    return render(request, "dashboard.html", {
        "visitor": visitor, "board": board,
        # Reorder rules' alerts as the last scan left them (the worker scans every 15 minutes).
        "low_stock": [a for a in planning_alerts.list_alerts(visitor.onhand) if a.kind in ("low_stock", "stock_out")],
        "shipped_chart": bar_chart([(f"{f.day:%m-%d}", f.quantity) for f in board.shipped_per_day]),
    })
