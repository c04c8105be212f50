"""The application factory: nothing is built at import time.

    create_app(onhand)          # an app around an open Onhand (tests, embedding)
    uvicorn onhand.entrypoints.api.app:app_from_env --factory
                                # opens ONHAND_DATABASE_URL, closes it on shutdown
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from onhand import __version__
from onhand.bootstrap import Onhand, open_onhand
from onhand.entrypoints.api import errors
from onhand.entrypoints.api.routes import (
    admin,
    assemblies,
    audit,
    fulfilment,
    imports,
    items,
    journals,
    keys,
    locations,
    lots,
    meta,
    orders,
    postings,
    purchasing,
    settings,
    stock,
    transfers,
    valuation,
)

API_PREFIX = "/api/v1"
DESCRIPTION = """Onhand keeps stock as a double-entry quantity ledger. Every call under
`/api/v1` needs `Authorization: Bearer <API key>`. Quantities are decimal strings.
Errors are `{"error": {"code", "message", "field", "reason", …}}`."""

# Lots before items: `/items/{sku}/lots…` must not be read as a SKU containing "/lots";
# fulfilment before orders: `/orders/{reference}/pick-list` is not a reference either.
_ROUTERS = (settings, lots, items, locations, postings, stock, fulfilment, orders, imports, admin, keys, audit,
            transfers, assemblies, purchasing, valuation, journals)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def api_routes() -> list[APIRoute]:
    """Every /api/v1 route (its path without the prefix): what the docs and the tests of
    permissions enumerate."""
    return [route for module in _ROUTERS for route in module.router.routes if isinstance(route, APIRoute)]


def create_app(onhand: Onhand) -> FastAPI:
    """The HTTP API around `onhand`; the caller keeps ownership of it (and closes it)."""
    return _build(onhand, lifespan=None)


def app_from_env() -> FastAPI:
    """The HTTP API on the database of ONHAND_DATABASE_URL, closed when the server stops."""
    onhand = open_onhand()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            onhand.close()

    return _build(onhand, lifespan=lifespan)


def _build(onhand: Onhand, lifespan: Lifespan | None) -> FastAPI:
    app = FastAPI(
        title="Onhand",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.onhand = onhand
    errors.install(app)
    app.include_router(meta.router)
    for module in _ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX)
    return app

