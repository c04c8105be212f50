"""API keys (admin), and proving the books: verify (read) and rebuild (admin)."""

from __future__ import annotations

from fastapi import APIRouter

from onhand import services
from onhand.entrypoints.api.auth import Admin, IdempotencyKey, OnhandDep, Reader
from onhand.entrypoints.api.bodies import ExactJsonRoute
from onhand.entrypoints.api.schemas.admin import (
    ApiKeyIn,
    ApiKeyList,
    ApiKeyOut,
    NewApiKeyOut,
    VerifyReportOut,
)
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathId

router = APIRouter(route_class=ExactJsonRoute, tags=["admin"], responses=ERROR_RESPONSES)


@router.get("/keys", summary="API keys (never their secrets)")
def list_keys(onhand: OnhandDep, _key: Admin) -> ApiKeyList:
    return ApiKeyList(keys=[ApiKeyOut.of(k) for k in services.keys.list_api_keys(onhand)])


@router.post("/keys", status_code=201, summary="Create an API key; its secret is returned this once")
def create_key(body: ApiKeyIn, onhand: OnhandDep, _key: Admin) -> NewApiKeyOut:
    return NewApiKeyOut.of(services.keys.create_api_key(onhand, name=body.name, role=body.role))


@router.delete("/keys/{key_id}", summary="Revoke an API key")
def revoke_key(
    key_id: PathId, onhand: OnhandDep, _key: Admin, idempotency_key: IdempotencyKey = None
) -> ApiKeyOut:
    return ApiKeyOut.of(services.keys.revoke_api_key(onhand, key_id, idempotency_key=idempotency_key))


@router.get("/verify", summary="Prove balances == fold(ledger), conservation, no illegal negatives")
def verify(onhand: OnhandDep, _key: Reader) -> VerifyReportOut:
    return VerifyReportOut.of(services.integrity.verify(onhand))


@router.post("/rebuild", summary="Recompute every balance from the ledger, then verify (admin)")
def rebuild(onhand: OnhandDep, _key: Admin) -> VerifyReportOut:
    return VerifyReportOut.of(services.integrity.rebuild(onhand))
