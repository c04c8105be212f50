"""API keys (permission `keys`): list, create, change, rotate, revoke.

A response that carries a secret (create, rotate) says `Cache-Control: no-store`, so
no proxy or browser cache keeps it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from onhand import services
from onhand.domain.access.commands import CreateApiKey, RevokeApiKey, RotateApiKey, UpdateApiKey
from onhand.entrypoints.api.auth import IdempotencyKey, KeyAdmin, OnhandDep
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathId
from onhand.entrypoints.api.schemas.keys import ApiKeyIn, ApiKeyList, ApiKeyOut, ApiKeyPatch, NewApiKeyOut, RotationIn
from onhand.services import resolve

router = ApiRouter(tags=["keys"], responses=ERROR_RESPONSES)


def _secret_response(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


@router.get("/keys", summary="API keys (never their secrets)")
def list_keys(onhand: OnhandDep, _key: KeyAdmin) -> ApiKeyList:
    return ApiKeyList(keys=[ApiKeyOut.of(k) for k in services.keys.list_api_keys(onhand)])


@router.post("/keys", status_code=201, summary="Create an API key; its secret is returned this once")
def create_key(body: ApiKeyIn, onhand: OnhandDep, _key: KeyAdmin, response: Response) -> NewApiKeyOut:
    _secret_response(response)
    new = services.keys.create_api_key(onhand, CreateApiKey(
        name=body.name, role=body.role, expires_at=resolve.moment(body.expires_at, "expires_at")
    ))
    return NewApiKeyOut.of(new)


@router.patch("/keys/{key_id}", summary="Rename an API key or change its role")
def update_key(
    key_id: PathId, body: ApiKeyPatch, onhand: OnhandDep, _key: KeyAdmin, idempotency_key: IdempotencyKey = None
) -> ApiKeyOut:
    changed = services.keys.update_api_key(
        onhand, UpdateApiKey(id=key_id, name=body.name, role=body.role), idempotency_key=idempotency_key
    )
    return ApiKeyOut.of(changed)


@router.post("/keys/{key_id}/rotate", summary="A new secret for a key (returned this once); "
             "the previous one works until the overlap ends")
def rotate_key(
    key_id: PathId, onhand: OnhandDep, _key: KeyAdmin, response: Response, body: RotationIn | None = None
) -> NewApiKeyOut:
    _secret_response(response)
    overlap = body.overlap_hours if body is not None else None
    return NewApiKeyOut.of(services.keys.rotate_api_key(onhand, RotateApiKey(id=key_id, overlap_hours=overlap)))


@router.delete("/keys/{key_id}", summary="Revoke an API key (your own one only with own_key=true)")
def revoke_key(
    key_id: PathId,
    onhand: OnhandDep,
    _key: KeyAdmin,
    own_key: Annotated[bool, Query(description="Confirms revoking the key making this request")] = False,
    idempotency_key: IdempotencyKey = None,
) -> ApiKeyOut:
    revoke = services.keys.revoke_own_api_key if own_key else services.keys.revoke_api_key
    return ApiKeyOut.of(revoke(onhand, RevokeApiKey(id=key_id), idempotency_key=idempotency_key))
