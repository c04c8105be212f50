"""Locations over HTTP: list, create, look up, change."""

from __future__ import annotations

import httpx


def test_a_new_database_lists_the_virtual_locations(api_viewer: httpx.Client) -> None:
    locations = api_viewer.get("/api/v1/locations").json()["locations"]
    virtual = {loc["code"] for loc in locations if not loc["internal"]}
    assert {"SUPPLIER", "CUSTOMER", "ADJUSTMENT", "PRODUCTION", "SCRAP"} <= virtual


def test_a_warehouse_and_a_bin_are_created_read_and_changed(api_operator: httpx.Client) -> None:
    warehouse = api_operator.post(
        "/api/v1/locations",
        json={"code": "NY", "name": "New York", "kind": "warehouse",
              "address": {"city": "New York", "country": "us"}},
    )
    assert warehouse.status_code == 201
    assert warehouse.json()["address"]["country"] == "US"
    bin_ = api_operator.post(
        "/api/v1/locations", json={"code": "NY/A1", "name": "Aisle A1", "kind": "bin", "parent": "NY"}
    )
    assert bin_.status_code == 201
    assert bin_.json()["parent_id"] == warehouse.json()["id"]
    assert api_operator.get("/api/v1/locations/NY/A1").json()["name"] == "Aisle A1"
    changed = api_operator.patch(
        "/api/v1/locations/NY", json={"name": "NYC", "sellable": False, "address": {"postcode": "10001"}}
    )
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["sellable"]) == ("NYC", False)
    assert changed.json()["address"] == {
        "line1": None, "line2": None, "city": "New York", "region": None, "postcode": "10001",
        "country": "US",
    }


def test_a_bin_without_a_parent_is_a_422_naming_parent(api_operator: httpx.Client) -> None:
    response = api_operator.post("/api/v1/locations", json={"code": "B1", "name": "Bin", "kind": "bin"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "parent"


def test_a_location_of_an_unknown_kind_is_a_422(api_operator: httpx.Client) -> None:
    response = api_operator.post("/api/v1/locations", json={"code": "X", "name": "X", "kind": "customer"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "kind"


def test_a_bad_address_field_is_a_422_naming_it(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/locations", json={"code": "X", "name": "X", "kind": "store", "address": {"zip": "1"}}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "address.zip"


def test_a_non_boolean_flag_is_a_422(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/locations", json={"code": "X", "name": "X", "kind": "store", "sellable": "nope"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "sellable"


def test_a_duplicate_code_is_a_409_and_an_unknown_one_a_404(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/locations", json={"code": "LA", "name": "LA", "kind": "store"})
    again = api_operator.post("/api/v1/locations", json={"code": "LA", "name": "LA", "kind": "store"})
    assert (again.status_code, again.json()["error"]["field"]) == (409, "code")
    unknown = api_operator.get("/api/v1/locations/SF")
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (404, "code")


def test_a_virtual_location_cannot_be_changed(api_operator: httpx.Client) -> None:
    response = api_operator.patch("/api/v1/locations/CUSTOMER", json={"name": "Clients"})
    assert response.status_code == 422
