"""The API's routers: every /api/v1 route module makes its router with `ApiRouter`.

FastAPI asks each router included in the app, in turn, whether a request is one of its
routes, and each asks every route it holds (a regular expression each, and bookkeeping
around it): over the API's routers that was 6-9 % of the server's CPU per request. An
`ApiRouter` answers "no" at once when the path starts with none of its routes' fixed
beginnings, so a request is matched against the routes of one or two routers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope

from onhand.entrypoints.api.bodies import ExactJsonRoute
from onhand.entrypoints.start_up import WARM_UP_PATH

API_PREFIX = "/api/v1"


class ApiRouter(APIRouter):
    """An /api/v1 router: JSON read exactly (`ExactJsonRoute`), and not asked in vain."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=ExactJsonRoute, **kwargs)
        self._heads: tuple[str, ...] = ()
        self._heads_of = -1  # how many routes `_heads` was made from

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        # Anywhere but under API_PREFIX (a router included elsewhere), it is asked as any router;
        # and the start-up's request is asked of every router, so that FastAPI builds each one's
        # routes for matching then (start_up.py), not on the first request that reaches them.
        if (path.startswith(API_PREFIX) and path != WARM_UP_PATH
                and not path.startswith(self._fixed_beginnings(), len(API_PREFIX))):
            return Match.NONE, {}
        return super().matches(scope)

    def _fixed_beginnings(self) -> tuple[str, ...]:
        """Each route's path up to its first parameter ("/items/" of "/items/{sku}")."""
        if self._heads_of != len(self.routes):
            self._heads = tuple(getattr(route, "path", "").split("{", 1)[0] for route in self.routes)
            self._heads_of = len(self.routes)
        return self._heads
