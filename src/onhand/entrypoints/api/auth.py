"""Who is calling and what they may do: `Authorization: Bearer <API key>`.

Every /api/v1 route asks for one permission through a parameter typed `Reader`,
`CatalogEditor`, … (`domain/access/roles.py` says which roles hold which); `route_permission`
reads it back (the docs' table of roles and the tests are made from it).

The key is looked up by `services.keys.authenticate` (401 when missing, unknown, revoked
or expired; a key that authenticated within the last second is not read again:
services/key_cache.py) before the request's body is read (`authenticate`, called by the
route class in bodies.py: on the event loop when cached or on SQLite, else in a thread), so
a caller without a key cannot make the server read or parse anything; then
`services.keys.authorize` checks the role (403), and only then are path and query
parameters checked (params.py: text the API refuses, query names the route lacks). `OnhandDep` is the Onhand acting as
the calling key: its postings, audit entries and idempotency keys are the key's.

Failures are logged (address, method, path: never the key) and limited per client
address (throttle.py): past the limit a request is a 429 before its key is looked up.
Secrets are never logged or echoed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.actors import api_key_actor
from onhand.domain.errors import Unauthorized, clipped
from onhand.entrypoints.api.params import check_params
from onhand.entrypoints.api.throttle import AuthFailureThrottle
from onhand.services.access.keys import Permission
from onhand.services.views import ApiKeyView

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An Onhand API key: `Authorization: Bearer onh_...`",
)

log = logging.getLogger("onhand.api.auth")


def _bearer_secret(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


async def authenticate(request: Request) -> ApiKeyView:
    """The request's API key, looked up once (and before its body is read): here on the event
    loop when that cannot hold it up (the key authenticated a moment ago and is cached, or
    SQLite with a connection idle: one indexed read, where a hand-off to a thread and back
    costs more), else in a thread. The key's last use, when due (once a minute), is written
    from a thread either way."""
    known: ApiKeyView | None = getattr(request.state, "api_key", None)
    if known is not None:
        return known
    onhand: Onhand = request.app.state.onhand
    secret = _bearer_secret(request)
    if not (services.keys.authenticates_unread(onhand, secret) or onhand.reads_without_waiting()):
        return await _read_in_a_thread(request, secret)
    key = authenticate_request(request, record_use=False)
    if services.keys.key_use_due(onhand, key):
        await run_in_threadpool(services.keys.record_key_use, onhand, key)
    return key


async def _read_in_a_thread(request: Request, secret: str | None) -> ApiKeyView:
    """The key read in a thread. Requests with a key not read lately that come at once (a
    server's first burst; every client of one integration) would each read it and each take a
    thread and a connection of their own: the first reads it, the others wait for that read
    and find the key cached (or, if it was not found, read it themselves)."""
    reads: dict[str, asyncio.Event] = request.app.state.key_reads
    prefix = services.keys.key_prefix(secret)
    pending = reads.get(prefix) if prefix is not None else None
    if pending is not None:
        await pending.wait()
        return await authenticate(request)
    done = asyncio.Event()
    if prefix is not None:
        reads[prefix] = done
    try:
        return await run_in_threadpool(authenticate_request, request)
    finally:
        if prefix is not None:
            del reads[prefix]
        done.set()


def authenticate_request(request: Request, *, record_use: bool = True) -> ApiKeyView:
    """The request's API key, looked up once (and before its body is read), by a thread that
    may wait for the database."""
    known: ApiKeyView | None = getattr(request.state, "api_key", None)
    if known is not None:
        return known
    throttle: AuthFailureThrottle = request.app.state.auth_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(address)
    if wait is not None:
        raise HTTPException(429, "too many failed authentications; retry later", headers={"Retry-After": str(wait)})
    secret = _bearer_secret(request)
    try:
        key = services.keys.authenticate(request.app.state.onhand, secret, record_use=record_use)
    except Unauthorized:
        throttle.failed(address)
        log.warning(
            "authentication failed (%s) from %s: %s %s", "no key" if secret is None else "key refused",
            address, request.method, clipped(request.url.path),
        )
        raise
    request.state.api_key = key
    return key


# The dependencies below are `async def` though they wait for nothing: FastAPI runs a plain
# `def` dependency in its thread pool, a hand-off to another thread and back for each, at every
# request (more CPU than their work; `benchmarks/README.md`, "HTTP adjustments"). The one that
# may read the database (`authenticate`) decides itself whether the read goes to the pool.
async def caller(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKeyView:
    # `_bearer` is here for the OpenAPI security scheme; the key was read by the route class
    # (`authenticate` gives back the key it read).
    return await authenticate(request)


async def _acting(request: Request) -> Onhand:
    # The key as the route class read it (every API route asks for a permission, whose
    # dependency is `caller`), not as a dependency of its own: FastAPI's bookkeeping costs
    # tens of microseconds per dependency and request.
    key = await authenticate(request)  # the key the route class read, if it did
    onhand: Onhand = request.app.state.onhand
    return onhand.acting_as(api_key_actor(key.id, key.name))


OnhandDep = Annotated[Onhand, Depends(_acting)]


class Requirement:
    """The dependency that holds a route to `permission` (one instance per permission)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, key: Annotated[ApiKeyView, Depends(caller)], request: Request) -> ApiKeyView:
        services.keys.authorize(key, self.permission)
        check_params(request)
        return key

    async def checked(self, request: Request) -> ApiKeyView:
        return await self(await authenticate(request), request)


def lean_dependency(call: Any) -> Callable[[Request], Awaitable[Any]] | None:
    """The dependency `call` as the lean route handler runs it (lean.py), from the request
    alone, as FastAPI would solve it; None for one it does not know."""
    if call is _acting:
        return _acting
    if isinstance(call, Requirement):
        return call.checked
    return None


def _require(permission: Permission) -> Any:
    return Depends(Requirement(permission))


Reader = Annotated[ApiKeyView, _require(Permission.READ)]
CatalogEditor = Annotated[ApiKeyView, _require(Permission.CATALOG)]
StockKeeper = Annotated[ApiKeyView, _require(Permission.STOCK)]
Recaller = Annotated[ApiKeyView, _require(Permission.RECALL)]
OrderDesk = Annotated[ApiKeyView, _require(Permission.ORDERS)]
Buyer = Annotated[ApiKeyView, _require(Permission.PURCHASING)]
Receiver = Annotated[ApiKeyView, _require(Permission.RECEIVING)]
SettingsAdmin = Annotated[ApiKeyView, _require(Permission.SETTINGS)]
Bookkeeper = Annotated[ApiKeyView, _require(Permission.BOOKS)]
KeyAdmin = Annotated[ApiKeyView, _require(Permission.KEYS)]
UserAdmin = Annotated[ApiKeyView, _require(Permission.USERS)]
Auditor = Annotated[ApiKeyView, _require(Permission.AUDIT)]
WebhookAdmin = Annotated[ApiKeyView, _require(Permission.WEBHOOKS)]


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
