"""Postings that move stock: adjustments, counts, relocations; and reading one back."""

from __future__ import annotations

from onhand import services
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, Reader, StockKeeper
from onhand.entrypoints.api.bodies import each_outcome, in_group, one_read, together
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathId
from onhand.entrypoints.api.schemas.postings import (
    AdjustmentIn,
    CountIn,
    PostingOut,
    RelocationIn,
)

router = ApiRouter(tags=["postings"], responses=ERROR_RESPONSES)


@router.post("/adjustments", status_code=201, summary="Post stock found (+) or lost (−) at a location")
@together(lambda calls: each_outcome(calls, services.adjustments.post_adjustments, PostingOut.of))
def post_adjustment(
    body: AdjustmentIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> PostingOut:
    posting = services.adjustments.post_adjustment(
        onhand, body.to_command(), idempotency_key=idempotency_key
    )
    return PostingOut.of(posting)


@router.post("/counts", status_code=201, summary="Post a stock count; differences become moves")
@in_group
def post_count(
    body: CountIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> PostingOut:
    posting = services.counts.post_stock_count(
        onhand, body.to_command(), idempotency_key=idempotency_key
    )
    return PostingOut.of(posting)


@router.post("/relocations", status_code=201, summary="Move stock between internal locations")
@together(lambda calls: each_outcome(calls, services.relocations.move_stocks, PostingOut.of))
def post_relocation(
    body: RelocationIn, onhand: OnhandDep, _key: StockKeeper, idempotency_key: IdempotencyKey = None
) -> PostingOut:
    posting = services.relocations.move_stock(
        onhand, body.to_command(), idempotency_key=idempotency_key
    )
    return PostingOut.of(posting)


@router.get("/postings/{posting_id}")
@one_read()
def get_posting(posting_id: PathId, onhand: OnhandDep, _key: Reader) -> PostingOut:
    return PostingOut.of(services.postings.get_posting(onhand, posting_id))
