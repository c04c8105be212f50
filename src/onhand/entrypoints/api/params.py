"""Path and query parameters, checked after authentication (see `auth`): their text
(text.py) and their names. A query parameter the route does not declare is refused,
as an unknown field of a body is: `?skus=TEA` must not silently list every SKU.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from onhand.domain.errors import InvalidInput
from onhand.entrypoints.api.text import text_fault


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for inner in dependant.dependencies:
        names |= _query_names(inner)
    return names


def declared_query(request: Request) -> set[str] | None:
    """The query parameters the request's route declares (None: not known here); a walk
    over a few dependencies, cheaper than any cache keyed by route."""
    route = request.scope.get("route")
    return _query_names(route.dependant) if isinstance(route, APIRoute) else None


def check_params(request: Request) -> None:
    """Refuse text the API cannot take in any parameter, and query names the route lacks."""
    params = {**request.path_params, **request.query_params}
    for name, value in params.items():
        fault = text_fault(f"{name}{value}")
        if fault:
            raise InvalidInput(name, fault)
    declared = declared_query(request)
    if declared is not None:
        unknown = next((name for name in request.query_params if name not in declared), None)
        if unknown is not None:
            raise InvalidInput(unknown, "is not a parameter of this request")
