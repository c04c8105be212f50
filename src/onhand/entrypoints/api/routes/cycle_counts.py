"""Cycle counts: ABC classes, the count plan per site, and count sessions (open, count
blind, review, post, cancel)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.planning.commands import CancelCountSession
from onhand.domain.planning.cycle_counts import DEFAULT_ABC_WINDOW_DAYS, DEFAULT_INTERVALS
from onhand.domain.quantities import optional_decimal
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, Reader, StockKeeper
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathId, QueryInt
from onhand.entrypoints.api.schemas.cycle_counts import (
    AbcList,
    AbcOut,
    CountIn,
    DueOut,
    OpenSessionIn,
    PlanOut,
    PostSessionIn,
    ReviewOut,
    SessionList,
    SessionOut,
)

router = ApiRouter(tags=["cycle counts"], responses=ERROR_RESPONSES)

Percent = Annotated[str | None, Query(max_length=40, description="Default: A 80, B 15")]
Site = Annotated[str, Query(max_length=200, description="A warehouse, store or 3PL (its bins included)")]
Status = Annotated[str | None, Query(max_length=20, description="open, posted or cancelled")]


def _thresholds(a_percent: str | None, b_percent: str | None) -> dict:
    found = {"a_percent": optional_decimal(a_percent, "a_percent"),
             "b_percent": optional_decimal(b_percent, "b_percent")}
    return {k: v for k, v in found.items() if v is not None}


@router.get("/abc", summary="ABC classes of items by cost value shipped over a window")
def abc(onhand: OnhandDep, _key: Reader, window_days: QueryInt = DEFAULT_ABC_WINDOW_DAYS,
        a_percent: Percent = None, b_percent: Percent = None) -> AbcList:
    rows = services.cycle_counts.abc_classes(onhand, window_days=window_days, **_thresholds(a_percent, b_percent))
    return AbcList(window_days=window_days, items=[AbcOut.of(r) for r in rows])


@router.get("/cycle-counts/plan", summary="Item/location pairs at a site due for a count today")
def plan(onhand: OnhandDep, _key: Reader, site: Site, a_days: QueryInt = DEFAULT_INTERVALS["A"],
         b_days: QueryInt = DEFAULT_INTERVALS["B"], c_days: QueryInt = DEFAULT_INTERVALS["C"],
         window_days: QueryInt = DEFAULT_ABC_WINDOW_DAYS, a_percent: Percent = None, b_percent: Percent = None,
         ) -> PlanOut:
    due = services.cycle_counts.count_plan(
        onhand, site_code=site, intervals={"A": a_days, "B": b_days, "C": c_days}, window_days=window_days,
        **_thresholds(a_percent, b_percent))
    return PlanOut(site=site, due=[DueOut.of(d) for d in due])


@router.get("/cycle-counts", summary="Count sessions, newest first")
def list_sessions(onhand: OnhandDep, _key: Reader, status: Status = None) -> SessionList:
    return SessionList(sessions=[SessionOut.of(s) for s in services.cycle_counts.list_sessions(onhand, status=status)])


@router.post("/cycle-counts", status_code=201, summary="Open a count session, freezing the book of one place")
def open_session(body: OpenSessionIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
                 ) -> SessionOut:
    return SessionOut.of(services.cycle_counts.open_session(onhand, body.to_command(),
                                                            idempotency_key=idempotency_key))


@router.get("/cycle-counts/{session_id}", summary="A count session as the counter sees it (no book)")
def get_session(session_id: PathId, onhand: OnhandDep, _key: Reader) -> SessionOut:
    return SessionOut.of(services.cycle_counts.get_session(onhand, session_id))


@router.post("/cycle-counts/{session_id}/counts", summary="Record what was counted of an item (blind)")
def record_count(session_id: PathId, body: CountIn, onhand: OnhandDep, _key: StockKeeper) -> SessionOut:
    return SessionOut.of(services.cycle_counts.record_count(onhand, body.to_command(session_id)))


@router.get("/cycle-counts/{session_id}/review", summary="Book vs counted, with what moved since the freeze")
def review(session_id: PathId, onhand: OnhandDep, _key: StockKeeper) -> ReviewOut:
    return ReviewOut.of(services.cycle_counts.review(onhand, session_id))


@router.post("/cycle-counts/{session_id}/post", summary="Post the counts through the stock count")
def post_session(session_id: PathId, body: PostSessionIn, onhand: OnhandDep, _key: StockKeeper,
                 idempotency_key: IdempotencyKey = None) -> SessionOut:
    return SessionOut.of(services.cycle_counts.post_session(onhand, body.to_command(session_id),
                                                            idempotency_key=idempotency_key))


@router.post("/cycle-counts/{session_id}/cancel", summary="Cancel an open count session (nothing is posted)")
def cancel_session(session_id: PathId, onhand: OnhandDep, _key: StockKeeper) -> SessionOut:
    return SessionOut.of(services.cycle_counts.cancel_session(onhand, CancelCountSession(session_id)))
