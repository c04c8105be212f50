"""Who is calling and what they may do: `Authorization: Bearer <API key>`.

Every /api/v1 route asks for one permission through a parameter typed `Reader`,
`CatalogEditor`, … (`domain/access.py` says which roles hold which); `route_permission`
reads it back (the docs' table of roles and the tests are made from it). The key is
looked up by `services.keys.authenticate` (401 when missing, unknown, revoked or
expired) and checked by `services.keys.authorize` (403 when its role lacks the
permission); only then are path and query parameters checked for NUL characters.
`OnhandDep` is the Onhand acting as the calling key: its postings, audit entries and
idempotency keys are the key's. Secrets are never logged or echoed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.actors import api_key_actor
from onhand.entrypoints.api.bodies import refuse_nul_params
from onhand.services.keys import Permission
from onhand.services.views import ApiKeyView

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An Onhand API key: `Authorization: Bearer onh_...`",
)


def _base_onhand(request: Request) -> Onhand:
    onhand: Onhand = request.app.state.onhand
    return onhand


def _caller(
    onhand: Annotated[Onhand, Depends(_base_onhand)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKeyView:
    return services.keys.authenticate(onhand, credentials.credentials if credentials else None)


def _acting(
    onhand: Annotated[Onhand, Depends(_base_onhand)], key: Annotated[ApiKeyView, Depends(_caller)]
) -> Onhand:
    return onhand.acting_as(api_key_actor(key.id, key.name))


OnhandDep = Annotated[Onhand, Depends(_acting)]


class Requirement:
    """The dependency that holds a route to `permission` (one instance per permission)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __call__(self, key: Annotated[ApiKeyView, Depends(_caller)], request: Request) -> ApiKeyView:
        services.keys.authorize(key, self.permission)
        refuse_nul_params(request)
        return key


def _require(permission: Permission) -> Any:
    return Depends(Requirement(permission))


Reader = Annotated[ApiKeyView, _require(Permission.READ)]
CatalogEditor = Annotated[ApiKeyView, _require(Permission.CATALOG)]
StockKeeper = Annotated[ApiKeyView, _require(Permission.STOCK)]
OrderDesk = Annotated[ApiKeyView, _require(Permission.ORDERS)]
Buyer = Annotated[ApiKeyView, _require(Permission.PURCHASING)]
Receiver = Annotated[ApiKeyView, _require(Permission.RECEIVING)]
SettingsAdmin = Annotated[ApiKeyView, _require(Permission.SETTINGS)]
Bookkeeper = Annotated[ApiKeyView, _require(Permission.BOOKS)]
KeyAdmin = Annotated[ApiKeyView, _require(Permission.KEYS)]
Auditor = Annotated[ApiKeyView, _require(Permission.AUDIT)]


def route_permission(route: APIRoute) -> Permission | None:
    """The permission a route needs (None: a route that needs no key)."""
    found = {dep.call.permission for dep in route.dependant.dependencies if isinstance(dep.call, Requirement)}
    if len(found) > 1:
        raise ValueError(f"{route.path} asks for several permissions: {sorted(found)}")
    return found.pop() if found else None


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Makes a retried write safe: the same key and body from the same API key "
        "within the idempotency TTL (24 hours by default) return the first result and write "
        "nothing; the same key with another body is a 409.",
    ),
]
