"""CSV exports: `GET /exports/{items,locations,stock,movements,orders}.csv`, streamed.

Each takes the filters of its listing (`/items`, `/locations`, `/stock`, `/moves`,
`/orders`); bad filters are the usual JSON error before any row is sent. Exported items
and locations are in their imports' columns, so they import again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import StreamingResponse

from onhand import services
from onhand.entrypoints.api.auth import OnhandDep, Reader
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, IncludeArchived, UpdatedSince
from onhand.services.reports.stock import StockGrouping

router = ApiRouter(tags=["exports"], responses=ERROR_RESPONSES)

Code = Annotated[str | None, Query(max_length=200)]
Place = Annotated[str | None, Query(max_length=200, description="Includes its bins")]
_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}, "description": "The CSV file"}}


def _csv(chunks: Iterator[str], name: str) -> StreamingResponse:
    return StreamingResponse(
        (chunk.encode() for chunk in chunks), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/exports/items.csv", response_class=StreamingResponse, responses=_CSV,
            summary="Items as CSV, in the items import's columns")
def export_items(
    onhand: OnhandDep, _key: Reader, search: Annotated[str | None, Query(max_length=200)] = None,
    include_archived: IncludeArchived = False,
) -> StreamingResponse:
    return _csv(services.exports.export_items(onhand, search=search, include_archived=include_archived), "items")


@router.get("/exports/locations.csv", response_class=StreamingResponse, responses=_CSV,
            summary="Internal locations as CSV, in the locations import's columns")
def export_locations(onhand: OnhandDep, _key: Reader, include_archived: IncludeArchived = False) -> StreamingResponse:
    return _csv(services.exports.export_locations(onhand, include_archived=include_archived), "locations")


@router.get("/exports/stock.csv", response_class=StreamingResponse, responses=_CSV,
            summary="Stock levels as CSV (the filters and grouping of /stock)")
def export_stock(
    onhand: OnhandDep, _key: Reader, sku: Code = None, location: Place = None,
    lot: Annotated[str | None, Query(max_length=200, description="Needs sku")] = None,
    group_by: StockGrouping = StockGrouping.ITEM,
) -> StreamingResponse:
    chunks = services.exports.export_stock(onhand, sku=sku, location=location, lot=lot, group_by=group_by)
    return _csv(chunks, "stock")


@router.get("/exports/movements.csv", response_class=StreamingResponse, responses=_CSV,
            summary="Every move as CSV, newest first (the filters of /moves)")
def export_movements(
    onhand: OnhandDep, _key: Reader, sku: Code = None, location: Place = None,
    lot: Annotated[str | None, Query(max_length=200, description="Without sku: the lot of any item coded so")] = None,
) -> StreamingResponse:
    return _csv(services.exports.export_movements(onhand, sku=sku, location=location, lot=lot), "movements")


@router.get("/exports/orders.csv", response_class=StreamingResponse, responses=_CSV,
            summary="Sales orders as CSV, one row per line, newest first (the filters of /orders)")
def export_orders(
    onhand: OnhandDep, _key: Reader,
    status: Annotated[str | None, Query(
        max_length=40, description="open, backordered, allocated, partially_shipped, shipped, cancelled")] = None,
    channel: Annotated[str | None, Query(max_length=40)] = None, updated_since: UpdatedSince = None,
) -> StreamingResponse:
    chunks = services.exports.export_orders(onhand, status=status, channel=channel, updated_since=updated_since)
    return _csv(chunks, "orders")
