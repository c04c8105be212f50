"""Who is calling and what they may do: `Authorization: Bearer <API key>`.

Route handlers ask for a `Reader`, `Writer` or `Admin` parameter; the key is looked up
by `services.keys.authenticate` (401 when missing, unknown or revoked) and checked by
`services.keys.authorize` (403 when its role lacks the permission); only then are path
and query parameters checked for NUL characters. Secrets are never logged or echoed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from onhand import services
from onhand.bootstrap import Onhand
from onhand.entrypoints.api.bodies import refuse_bad_params
from onhand.services.keys import Permission
from onhand.services.views import ApiKeyView

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An Onhand API key: `Authorization: Bearer onh_...`",
)


def _onhand(request: Request) -> Onhand:
    onhand: Onhand = request.app.state.onhand
    return onhand


OnhandDep = Annotated[Onhand, Depends(_onhand)]


def _caller(
    onhand: OnhandDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKeyView:
    return services.keys.authenticate(onhand, credentials.credentials if credentials else None)


def _require(permission: Permission) -> object:
    def check(key: Annotated[ApiKeyView, Depends(_caller)], request: Request) -> ApiKeyView:
        services.keys.authorize(key, permission)
        refuse_bad_params(request)
        return key

    return Depends(check)


Reader = Annotated[ApiKeyView, _require(Permission.READ)]
Writer = Annotated[ApiKeyView, _require(Permission.WRITE)]
Admin = Annotated[ApiKeyView, _require(Permission.ADMIN)]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Makes a retried write safe: the same key and body return the first "
        "result and write nothing; the same key with another body is a 409.",
    ),
]
