"""The application factory: nothing is built at import time.

    create_app(onhand)          # an app around an open Onhand (tests, embedding)
    uvicorn onhand.entrypoints.api.app:app_from_env --factory
                                # opens ONHAND_DATABASE_URL, closes it on shutdown
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, ExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from onhand import __version__
from onhand.bootstrap import Onhand, open_onhand, serving
from onhand.config import ApiLimits
from onhand.entrypoints.api import errors
from onhand.entrypoints.api.body_limit import BodyLimit
from onhand.entrypoints.api.headers import SecurityHeaders
from onhand.entrypoints.api.openapi import make_strict
from onhand.entrypoints.api.request_log import RequestLog
from onhand.entrypoints.api.routes import (
    admin,
    assemblies,
    audit,
    channel_webhooks,
    channels,
    cycle_counts,
    events,
    exports,
    fulfilment,
    imports,
    items,
    journals,
    keys,
    locations,
    lots,
    meta,
    orders,
    planning,
    postings,
    purchasing,
    settings,
    stock,
    traceability,
    transfers,
    users,
    valuation,
    webhooks,
)
from onhand.entrypoints.api.routing import API_PREFIX
from onhand.entrypoints.api.throttle import AuthFailureThrottle
from onhand.entrypoints.heap import freeze_start_up_heap
from onhand.entrypoints.start_up import warm_up_async
from onhand.entrypoints.web.app import install_web

DESCRIPTION = """Onhand keeps stock as a double-entry quantity ledger. Every call under
`/api/v1` needs `Authorization: Bearer <API key>`. Quantities are decimal strings.
Errors are `{"error": {"code", "message", "field", "reason", …}}`."""

# Lots before items: `/items/{sku}/lots…` must not be read as a SKU containing "/lots";
# fulfilment before orders: `/orders/{reference}/pick-list` is not a reference either.
_ROUTERS = (settings, lots, items, locations, postings, stock, fulfilment, orders, imports, admin, keys, users, audit,
            events, transfers, assemblies, purchasing, valuation, journals, traceability, channels, webhooks, planning,
            cycle_counts, exports)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def api_routes() -> list[APIRoute]:
    """Every /api/v1 route (its path without the prefix): what the docs and the tests of
    permissions enumerate."""
    return [route for module in _ROUTERS for route in module.router.routes if isinstance(route, APIRoute)]


# What the server itself should not add (uvicorn.run / uvicorn.Config keyword arguments).
SERVER_OPTIONS = {"server_header": False}


def create_app(onhand: Onhand, *, limits: ApiLimits | None = None) -> FastAPI:
    """The HTTP API (and the web app beside it) around `onhand`; the caller keeps ownership of it."""
    return _build(onhand, limits or ApiLimits(), lifespan=None)


def app_from_env() -> FastAPI:
    """The HTTP API on the database of ONHAND_DATABASE_URL, its writes group-committed
    (ONHAND_GROUP_COMMIT), closed when the server stops."""
    limits = ApiLimits.from_env()  # a bad setting is refused before the database is opened
    return _served(open_onhand(), limits)


def app_on(database_url: str) -> FastAPI:
    """The HTTP API on `database_url`, whose schema the caller has brought up to date, as
    `app_from_env` serves it: what each process of `onhand serve --processes N` builds once
    it has started, so that no engine or connection crosses a process boundary."""
    limits = ApiLimits.from_env()
    return _served(open_onhand(database_url, migrate=False), limits)


def _served(onhand: Onhand, limits: ApiLimits) -> FastAPI:
    running = ExitStack()
    served = running.enter_context(serving(onhand))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await warm_up_async(app)
        freeze_start_up_heap()
        try:
            yield
        finally:
            running.close()  # the writers finish what is queued
            onhand.close()

    return _build(served, limits, lifespan=lifespan)


def _build(onhand: Onhand, limits: ApiLimits, lifespan: Lifespan | None) -> FastAPI:
    app = FastAPI(
        title="Onhand",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # served by the web app from vendored assets (entrypoints/web/pages/api_docs.py)
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.onhand = onhand
    app.state.auth_throttle = AuthFailureThrottle(limits.auth_failures_per_second, limits.auth_failure_burst)
    app.state.key_reads = {}  # auth.py: the keys being read in a thread now, by prefix
    errors.install(app)
    # The last added runs first: security headers go on every answer, 413s included.
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)  # outermost of ours: it names and times everything inside

    app.include_router(meta.router)
    app.include_router(channel_webhooks.router)
    for module in _ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    # FastAPI asks the included routers in turn: the API's (each `ApiRouter` answers at once for
    # a path none of its routes begins, routing.py), which machines call, before the pages.
    install_web(app)
    make_strict(app, (module.router for module in _ROUTERS), API_PREFIX)
    return app

