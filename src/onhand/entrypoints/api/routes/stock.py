"""Stock levels and movement history."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.entrypoints.api.auth import OnhandDep, Reader
from onhand.entrypoints.api.bodies import one_read
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, QueryInt, UpdatedSince
from onhand.entrypoints.api.schemas.postings import MoveList, MoveOut
from onhand.entrypoints.api.schemas.stock import StockReportOut
from onhand.services.reports.stock import StockGrouping

router = ApiRouter(tags=["stock"], responses=ERROR_RESPONSES)

Code = Annotated[str | None, Query(max_length=200)]


@router.get("/stock", summary="On hand, reserved and available over internal locations")
@one_read(when=lambda arguments: arguments.get("sku") is not None)
def stock_levels(
    onhand: OnhandDep,
    _key: Reader,
    sku: Code = None,
    location: Annotated[str | None, Query(max_length=200, description="Includes its bins")] = None,
    lot: Annotated[str | None, Query(max_length=200, description="Needs sku")] = None,
    group_by: StockGrouping = StockGrouping.ITEM,
    updated_since: UpdatedSince = None,
) -> StockReportOut:
    report = services.stock.stock_levels(onhand, sku=sku, location=location, lot=lot, group_by=group_by,
                                         updated_since=updated_since)
    return StockReportOut.of(report)


@router.get("/moves", summary="Movement history, newest first")
def movement_history(
    onhand: OnhandDep,
    _key: Reader,
    sku: Code = None,
    location: Annotated[str | None, Query(max_length=200, description="Includes its bins")] = None,
    lot: Annotated[str | None, Query(max_length=200, description="Without sku: the lot of any item coded so")] = None,
    limit: QueryInt = 100,
    before_id: Annotated[QueryInt | None, Query(description="Moves older than this id")] = None,
) -> MoveList:
    moves = services.stock.movement_history(
        onhand, sku=sku, location=location, lot=lot, limit=limit, before_id=before_id
    )
    next_page = moves[-1].id if len(moves) == limit else None
    return MoveList(moves=[MoveOut.of(m) for m in moves], next_before_id=next_page)
