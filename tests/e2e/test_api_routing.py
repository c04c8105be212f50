"""Paths whose SKU or reference may hold "/" still leave room for the routes beside
them, and a method a path does not have is a 405 naming every method it has."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/company", "GET, PATCH"),
        ("DELETE", "/api/v1/items/TEA-1", "GET, PATCH"),
        ("PUT", "/api/v1/items", "GET, POST"),
        ("PATCH", "/api/v1/items/TEA-1/lots", "GET, POST"),
        ("PATCH", "/api/v1/items/by-gtin/4006381333931", "GET"),
        ("GET", "/api/v1/items/HONEY/lots/H1/status", "POST"),
        ("GET", "/api/v1/orders/SO-1/cancel", "POST"),
        ("PATCH", "/api/v1/orders/by-external-id/shop/1001", "GET"),
        ("PATCH", "/api/v1/orders/SO-1/lines/1/location", "POST"),
        ("GET", "/api/v1/locations/NY/routing", "PATCH"),
        ("PATCH", "/api/v1/purchase-orders/PO-1/place", "POST"),
        ("PATCH", "/api/v1/transfers/TO-1/ship", "POST"),
        ("GET", "/api/v1/receipts/R-1/landed-costs", "POST"),
        ("GET", "/api/v1/bundles/KIT/components", "PUT"),
        ("PUT", "/api/v1/boms/KIT/can-build", "GET"),
    ],
)
def test_a_method_the_path_does_not_have_is_a_405_naming_every_method_it_has(
    api_admin: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = api_admin.request(method, path, json={})
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == allow
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_sku_with_a_slash_is_still_its_own_path(api_admin: httpx.Client, onhand: Onhand) -> None:
    services.items.create_item(onhand, CreateItem(sku="TEA/GREEN", name="Green tea"))
    assert api_admin.get("/api/v1/items/TEA/GREEN").json()["sku"] == "TEA/GREEN"
    assert api_admin.patch("/api/v1/items/TEA%2FGREEN", json={"name": "Sencha"}).json()["name"] == "Sencha"


def test_patching_a_gtin_path_never_changes_an_item_named_like_it(api_admin: httpx.Client, onhand: Onhand) -> None:
    services.items.create_item(onhand, CreateItem(sku="by-gtin/1", name="Odd SKU"))
    assert api_admin.patch("/api/v1/items/by-gtin/1", json={"name": "Changed"}).status_code == 405
    assert services.items.get_item(onhand, "by-gtin/1").name == "Odd SKU"


def test_an_unknown_query_parameter_is_a_422_naming_it(api_admin: httpx.Client) -> None:
    response = api_admin.get("/api/v1/stock", params={"skus": "TEA-1"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["field"], error["reason"]) == ("skus", "is not a parameter of this request")


def test_a_declared_query_parameter_is_taken(api_admin: httpx.Client) -> None:
    assert api_admin.get("/api/v1/moves", params={"limit": 10, "location": "ADJUSTMENT"}).status_code == 200


def test_a_boolean_where_a_number_of_days_belongs_is_a_422(api_admin: httpx.Client, onhand: Onhand) -> None:
    for code, kind in (("NY", "warehouse"), ("LA", "store"), ("SEA", "transit")):
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind=kind))
    body = {"source": "NY", "destination": "LA", "transit": "SEA", "lead_time_days": False}
    response = api_admin.put("/api/v1/transfer-routes", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "lead_time_days"
