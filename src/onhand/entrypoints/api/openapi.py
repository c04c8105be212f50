"""The OpenAPI description made as strict as the server, where FastAPI leaves it loose.

- A SKU or reference that may hold "/" (paths.py) gets its convertor's rule as the
  parameter's `pattern`: `/items/{sku}` never takes "TEA/lots" or "by-gtin/…".
- `Idempotency-Key` is a string of 1-200 characters (FastAPI would say "string or null",
  and a header is never null).

A fuzzer reading this description (tests/e2e/test_api_fuzz.py) then sends what the
server takes, and learns from each answer whether the server kept its word.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from onhand.entrypoints.api.paths import ReservedPath

IDEMPOTENCY_KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 200}


def _patterns(routers: Iterable[APIRouter], prefix: str) -> dict[tuple[str, str], str]:
    found = {}
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            for name, convertor in route.param_convertors.items():
                if isinstance(convertor, ReservedPath):
                    found[(prefix + route.path_format, name)] = f"^{convertor.regex}$"
    return found


def _tighten(schema: dict[str, Any], patterns: dict[tuple[str, str], str]) -> None:
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and (path, parameter["name"]) in patterns:
                    parameter["schema"]["pattern"] = patterns[(path, parameter["name"])]
                if parameter["in"] == "header" and parameter["name"] == "Idempotency-Key":
                    description = parameter["schema"].get("description")
                    parameter["schema"] = {**IDEMPOTENCY_KEY_SCHEMA, "description": description}


def make_strict(app: FastAPI, routers: Iterable[APIRouter], prefix: str) -> None:
    """Have `app.openapi()` return the description tightened as above (built once)."""
    patterns = _patterns(routers, prefix)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _tighten(build(), patterns)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
