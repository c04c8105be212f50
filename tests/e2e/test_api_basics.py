"""The API's front door: home page, health, OpenAPI, docs, unknown paths."""

from __future__ import annotations

import gc

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.catalog.commands import CreateItem
from onhand.entrypoints.api.app import app_from_env, create_app
from tests.e2e.conftest import serve_api


def test_the_health_check_needs_no_key(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_home_page_says_what_onhand_is_and_links_the_docs(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.get("/", follow_redirects=True)  # the web app's sign-in page
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "inventory management" in response.text
    assert 'href="/docs"' in response.text
    assert 'href="/openapi.json"' in response.text


def test_openapi_lists_the_versioned_routes_and_the_bearer_scheme(api_anonymous: httpx.Client) -> None:
    spec = api_anonymous.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/v1/company", "/api/v1/units", "/api/v1/reason-codes", "/api/v1/items",
        "/api/v1/items/{sku}", "/api/v1/items/by-gtin/{gtin}", "/api/v1/items/{sku}/lots",
        "/api/v1/items/{sku}/lots/{code}", "/api/v1/items/{sku}/lots/{code}/status",
        "/api/v1/locations", "/api/v1/locations/{code}", "/api/v1/adjustments", "/api/v1/counts",
        "/api/v1/relocations", "/api/v1/postings/{posting_id}", "/api/v1/stock", "/api/v1/moves",
        "/api/v1/imports/items", "/api/v1/imports/locations", "/api/v1/imports/opening-stock",
        "/api/v1/verify", "/api/v1/rebuild", "/api/v1/keys", "/api/v1/keys/{key_id}",
    ):
        assert path in paths
    assert spec["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    csv = spec["paths"]["/api/v1/imports/items"]["post"]["requestBody"]["content"]
    assert {"text/csv", "multipart/form-data"} <= set(csv)


def test_openapi_documents_the_one_error_shape(api_anonymous: httpx.Client) -> None:
    spec = api_anonymous.get("/openapi.json").json()
    responses = spec["paths"]["/api/v1/adjustments"]["post"]["responses"]
    for status in ("401", "403", "404", "409", "422"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }


def test_quantities_are_documented_as_decimal_strings(api_anonymous: httpx.Client) -> None:
    schemas = api_anonymous.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["StockLevelOut"]["properties"]["on_hand"]["type"] == "string"


def test_swagger_ui_is_served_at_docs(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def test_an_unknown_path_is_a_404_in_the_error_shape(api_admin: httpx.Client) -> None:
    response = api_admin.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_is_a_405_in_the_error_shape(api_admin: httpx.Client) -> None:
    response = api_admin.delete("/api/v1/stock")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_app_from_env_serves_the_database_named_by_onhand_database_url(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = open_onhand(database_url)
    secret = services.keys.create_api_key(setup, CreateApiKey(name="ops", role="viewer")).secret
    services.items.create_item(setup, CreateItem(sku="TEA-1", name="Green tea"))
    setup.close()
    monkeypatch.setenv("ONHAND_DATABASE_URL", database_url)
    gc.unfreeze()
    with serve_api(app_from_env()) as url, httpx.Client(base_url=url) as client:
        response = client.get("/api/v1/items/TEA-1", headers={"Authorization": f"Bearer {secret}"})
        # Started, the server set its start-up heap aside from the collector (entrypoints/heap.py).
        frozen = gc.get_freeze_count()
    gc.unfreeze()
    assert response.status_code == 200
    assert response.json()["name"] == "Green tea"
    assert frozen > 10_000


def test_an_unexpected_error_is_a_500_in_the_error_shape_without_details(onhand: Onhand) -> None:
    app = create_app(onhand)

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)
    with serve_api(app) as url, httpx.Client(base_url=url, timeout=30) as client:  # a first 500 is slow
        response = client.get("/broken")
    assert response.status_code == 500
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("internal_error", "an unexpected error occurred")
    assert set(error) == {"code", "message", "request_id"}
