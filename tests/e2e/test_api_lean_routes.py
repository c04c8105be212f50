"""The lean route handler (entrypoints/api/lean.py) answers as FastAPI's own would.

Each request below is sent twice to the same server: once as served (the lean handler),
once while the app has a dependency override of a function no route uses, which hands every
request to FastAPI's handler with nothing else changed. Status, body and headers must agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from onhand.bootstrap import Onhand
from onhand.entrypoints.api.app import api_routes
from tests.e2e.conftest import ApiKeys, ClientFactory

# Routes FastAPI's handler keeps: a CSV body read by a dependency of their own, or an
# answer whose headers the endpoint sets itself (a new key's secret is never cached).
NOT_LEAN = {
    ("POST", "/imports/items"), ("POST", "/imports/locations"), ("POST", "/imports/opening-stock"),
    ("POST", "/keys"), ("POST", "/keys/{key_id}/rotate"), ("POST", "/webhooks"), ("PUT", "/accounting/chart"),
}


def _unused() -> None:
    """A dependency no route has: overriding it changes nothing but the handler that runs."""


@contextmanager
def fastapis_handler(app: FastAPI) -> Iterator[None]:
    app.dependency_overrides[_unused] = _unused
    try:
        yield
    finally:
        app.dependency_overrides.pop(_unused)


def _seen(response: httpx.Response) -> tuple[int, dict[str, str], bytes]:
    """What the answer says, but for the request's own id (in a header, and in an error's body)."""
    request_id = response.headers["x-request-id"].encode()
    headers = {name: value for name, value in response.headers.items() if name not in ("date", "x-request-id")}
    return response.status_code, headers, response.content.replace(request_id, b"<request id>")


def _but_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {name: _but_ids(inner) for name, inner in value.items()
                if name not in ("id", "posting_id", "posted_at", "recorded_at")}
    if isinstance(value, list):
        return [_but_ids(inner) for inner in value]
    return value


def test_every_route_but_a_few_is_handled_lean() -> None:
    lean = {(method, route.path) for route in api_routes() for method in route.methods if route.handled_lean}
    kept = {(method, route.path) for route in api_routes() for method in route.methods if not route.handled_lean}
    assert kept == NOT_LEAN
    assert len(lean) > 150


REQUESTS: list[tuple[str, str, str, dict[str, Any]]] = [
    # (who, method, path, httpx keywords)
    ("operator", "GET", "/api/v1/stock", {"params": {"sku": "TEA-1", "location": "NY"}}),
    ("operator", "GET", "/api/v1/stock", {"params": {"skus": "TEA-1"}}),  # a name the route lacks
    ("operator", "GET", "/api/v1/stock", {"params": {"group_by": "nonsense"}}),
    ("operator", "GET", "/api/v1/items/NOPE", {}),
    ("operator", "GET", "/api/v1/items", {"params": {"limit": "many"}}),
    ("operator", "GET", "/api/v1/items/HONEY/lots/H1", {}),
    ("operator", "GET", "/api/v1/postings/not-a-number", {}),
    ("operator", "GET", "/api/v1/postings/99999", {}),
    ("viewer", "POST", "/api/v1/adjustments", {"json": {"location": "NY", "reason": "found",
                                                        "lines": [{"sku": "TEA-1", "quantity": "1"}]}}),
    ("nobody", "GET", "/api/v1/stock", {}),
    ("operator", "POST", "/api/v1/adjustments", {"content": b'{"location": "NY",',
                                                 "headers": {"Content-Type": "application/json"}}),
    ("operator", "POST", "/api/v1/adjustments", {"content": b'{"location": "NY"}',
                                                 "headers": {"Content-Type": "text/plain"}}),
    ("operator", "POST", "/api/v1/adjustments", {"content": b'{"location": "NY"}'}),  # no Content-Type
    ("operator", "POST", "/api/v1/adjustments", {"content": b"",
                                                 "headers": {"Content-Type": "application/json"}}),
    ("operator", "POST", "/api/v1/adjustments", {"content": b'{"location": "NY"}',
                                                 "headers": {"Content-Type": "Application/JSON; charset=utf-8"}}),
    ("operator", "POST", "/api/v1/adjustments", {"json": {"location": "NY", "reason": "found", "lines": [],
                                                          "colour": "red"}}),
    ("operator", "POST", "/api/v1/adjustments", {"json": {"location": "NY", "reason": "lost",
                                                          "lines": [{"sku": "TEA-1", "quantity": "-1e3"}]}}),
    ("operator", "POST", "/api/v1/adjustments", {"json": {"location": "NY", "reason": "lost",
                                                          "lines": [{"sku": "NOPE", "quantity": "-1"}]}}),
    ("operator", "POST", "/api/v1/adjustments", {"json": {"location": "NY", "reason": "found",
                                                          "lines": [{"sku": "TEA-1", "quantity": 1.5}]}}),
    ("operator", "POST", "/api/v1/adjustments", {
        "json": {"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]},
        "headers": {"Idempotency-Key": "x" * 300}}),
    ("admin", "DELETE", "/api/v1/reorder-rules", {"params": {"sku": "TEA-1", "site": "NY"}}),
    ("admin", "GET", "/api/v1/exports/items.csv", {}),
]


@pytest.mark.parametrize(("who", "method", "path", "keywords"), REQUESTS,
                         ids=[f"{who}-{method}-{path}-{n}" for n, (who, method, path, _k) in enumerate(REQUESTS)])
def test_a_request_is_answered_as_fastapi_would(
    api_stocked: Onhand, api_app: FastAPI, api_client_for: ClientFactory, api_keys: ApiKeys,
    who: str, method: str, path: str, keywords: dict[str, Any],
) -> None:
    client = api_client_for(None if who == "nobody" else getattr(api_keys, who))
    lean = _seen(client.request(method, path, **keywords))
    with fastapis_handler(api_app):
        fastapis = _seen(client.request(method, path, **keywords))
    assert lean == fastapis


def test_a_write_and_its_repeat_are_answered_alike(
    api_stocked: Onhand, api_app: FastAPI, api_operator: httpx.Client
) -> None:
    body = {"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "2"}]}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api_operator.post("/api/v1/adjustments", json=body, headers=key)
    assert first.status_code == 201
    with fastapis_handler(api_app):
        repeated = api_operator.post("/api/v1/adjustments", json=body, headers=key)
        other = api_operator.post("/api/v1/adjustments", json=body)
    assert _seen(repeated) == _seen(first)
    assert other.status_code == 201
    assert _but_ids(other.json()) == _but_ids(first.json())
    stock = api_operator.get("/api/v1/stock", params={"sku": "TEA-1", "location": "NY"}).json()
    assert stock["levels"][0]["on_hand"] == "14"
