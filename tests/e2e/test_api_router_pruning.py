"""Routing over the API's routers: a request is matched only against the routes of the
routers whose routes its path could be (`ApiRouter`), and answers as before: the route
it names, 405 for a method the path does not have, 404 for no route at all."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Match
from starlette.types import Scope

from onhand.entrypoints.api import app as api_app
from onhand.entrypoints.api.bodies import ExactJsonRoute
from onhand.entrypoints.api.routing import API_PREFIX


def _routers_that_could_serve(path: str) -> set[int]:
    """The routers with a route whose path, up to its first parameter, begins `path`."""
    return {id(module.router) for module in api_app._ROUTERS
            for route in module.router.routes if path.startswith(route.path.split("{", 1)[0])}


def test_a_request_is_matched_only_against_routers_that_could_serve_it(
    api_operator: httpx.Client, api_stocked: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    router_of = {route.path: id(module.router) for module in api_app._ROUTERS for route in module.router.routes}
    matches = ExactJsonRoute.matches

    def counted(route: ExactJsonRoute, scope: Scope) -> tuple[Match, Scope]:
        asked.append(route.path)
        return matches(route, scope)

    monkeypatch.setattr(ExactJsonRoute, "matches", counted)

    posted = api_operator.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]})

    assert posted.status_code == 201, posted.text
    assert "/adjustments" in asked
    could = _routers_that_could_serve("/adjustments")
    assert {router_of[path] for path in asked} <= could
    assert len(asked) < len(api_app.api_routes()) / 4


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", f"{API_PREFIX}/items/TEA-1", 200),
    ("GET", f"{API_PREFIX}/items/HONEY/lots", 200),  # the lots router's, though it begins as an item's
    ("DELETE", f"{API_PREFIX}/adjustments", 405),
    ("GET", f"{API_PREFIX}/no-such-thing", 404),
    ("GET", "/healthz", 200),
])
def test_requests_reach_the_route_their_path_names(
    api_operator: httpx.Client, api_stocked: object, method: str, path: str, status: int
) -> None:
    assert api_operator.request(method, path).status_code == status
