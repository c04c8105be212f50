"""Proving the books: verify (read) and rebuild (books)."""

from __future__ import annotations

from onhand import services
from onhand.entrypoints.api.auth import Bookkeeper, OnhandDep, Reader
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.admin import VerifyReportOut
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES

router = ApiRouter(tags=["admin"], responses=ERROR_RESPONSES)


@router.get("/verify", summary="Prove balances == fold(ledger), conservation, no illegal negatives")
def verify(onhand: OnhandDep, _key: Reader) -> VerifyReportOut:
    return VerifyReportOut.of(services.integrity.verify(onhand))


@router.post("/rebuild", summary="Recompute every balance from the ledger, then verify (admin)")
def rebuild(onhand: OnhandDep, _key: Bookkeeper) -> VerifyReportOut:
    return VerifyReportOut.of(services.integrity.rebuild(onhand))
