"""Company settings, units, reason codes, items and lots over HTTP."""

from __future__ import annotations

import httpx
import pytest


def test_company_settings_can_be_read_and_changed_by_an_admin(
    api_admin: httpx.Client, api_viewer: httpx.Client
) -> None:
    assert set(api_viewer.get("/api/v1/company").json()) == {
        "name", "timezone", "currency", "min_remaining_shelf_life_days", "over_receipt_tolerance_pct",
        "auto_assign_serials",
    }
    response = api_admin.patch(
        "/api/v1/company", json={"name": "Tea & Co", "timezone": "Europe/Berlin", "currency": "EUR"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "name": "Tea & Co", "timezone": "Europe/Berlin", "currency": "EUR", "min_remaining_shelf_life_days": 0,
        "over_receipt_tolerance_pct": "0", "auto_assign_serials": False,
    }
    assert api_admin.patch("/api/v1/company", json={"auto_assign_serials": True}).json()["auto_assign_serials"]
    assert api_viewer.get("/api/v1/company").json()["currency"] == "EUR"


def test_a_bad_currency_is_a_422_naming_it(api_admin: httpx.Client) -> None:
    response = api_admin.patch("/api/v1/company", json={"currency": "euro"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "currency"


def test_a_time_zone_change_after_postings_is_a_409_unless_confirmed(api_admin: httpx.Client) -> None:
    api_admin.post("/api/v1/locations", json={"code": "NY", "name": "New York", "kind": "warehouse"})
    api_admin.post("/api/v1/items", json={"sku": "MUG", "name": "Mug"})
    api_admin.post("/api/v1/adjustments", json={"location": "NY", "reason": "found",
                                                "lines": [{"sku": "MUG", "quantity": "1"}]})

    refused = api_admin.patch("/api/v1/company", json={"timezone": "Asia/Tokyo"})
    confirmed = api_admin.patch("/api/v1/company", json={"timezone": "Asia/Tokyo", "confirm_timezone_change": True})

    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith("timezone: postings exist")
    assert confirmed.status_code == 200
    assert confirmed.json()["timezone"] == "Asia/Tokyo"


def test_units_can_be_listed_and_added(api_operator: httpx.Client) -> None:
    codes = {u["code"] for u in api_operator.get("/api/v1/units").json()["units"]}
    assert {"each", "kg"} <= codes
    response = api_operator.post("/api/v1/units", json={"code": "bottle", "name": "Bottle", "decimals": 0})
    assert response.status_code == 201
    assert response.json() == {"code": "bottle", "name": "Bottle", "decimals": 0}
    again = api_operator.post("/api/v1/units", json={"code": "bottle", "name": "Bottle", "decimals": 0})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_exists"


def test_reason_codes_are_listed(api_viewer: httpx.Client) -> None:
    reasons = api_viewer.get("/api/v1/reason-codes").json()["reason_codes"]
    assert {"code": "damaged", "description": "Damaged"} in reasons


def test_an_item_is_created_read_changed_and_found_by_gtin(api_operator: httpx.Client) -> None:
    created = api_operator.post(
        "/api/v1/items",
        json={"sku": "TEA-1", "name": "Green tea", "unit": "each", "gtin": "4006381333931",
              "shelf_life_days": 365},
    )
    assert created.status_code == 201
    assert created.json() == {
        "sku": "TEA-1", "name": "Green tea", "unit": "each", "tracking": "none", "kind": "stocked",
        "gtin": "04006381333931", "shelf_life_days": 365, "min_remaining_shelf_life_days": None,
        "weight_kg": None, "category": None, "archived_at": None,
    }
    assert api_operator.get("/api/v1/items/TEA-1").json()["name"] == "Green tea"
    changed = api_operator.patch("/api/v1/items/TEA-1", json={"name": "Sencha", "gtin": ""})
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["gtin"]) == ("Sencha", None)
    api_operator.patch("/api/v1/items/TEA-1", json={"gtin": "4006381333931"})
    found = api_operator.get("/api/v1/items/by-gtin/4006381333931")
    assert found.status_code == 200
    assert found.json()["sku"] == "TEA-1"


def test_items_are_searched_and_paged(api_operator: httpx.Client) -> None:
    for sku, name in [("A-1", "Apple"), ("B-1", "Banana"), ("C-1", "Green apple")]:
        api_operator.post("/api/v1/items", json={"sku": sku, "name": name})
    skus = [i["sku"] for i in api_operator.get("/api/v1/items", params={"search": "apple"}).json()["items"]]
    assert skus == ["A-1", "C-1"]
    page = api_operator.get("/api/v1/items", params={"limit": 1, "offset": 1}).json()["items"]
    assert [i["sku"] for i in page] == ["B-1"]


def test_a_sku_with_a_slash_is_reachable_by_its_path(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/items", json={"sku": "TEA/GREEN", "name": "Green tea", "tracking": "lot"})
    assert api_operator.get("/api/v1/items/TEA/GREEN").json()["sku"] == "TEA/GREEN"
    assert api_operator.get("/api/v1/items/TEA%2FGREEN").json()["sku"] == "TEA/GREEN"
    api_operator.post("/api/v1/items/TEA/GREEN/lots", json={"code": "L/1"})
    assert api_operator.get("/api/v1/items/TEA/GREEN/lots/L/1").json()["code"] == "L/1"


def test_an_unknown_sku_is_a_404_naming_the_field(api_viewer: httpx.Client) -> None:
    response = api_viewer.get("/api/v1/items/NOPE")
    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["code"], error["field"], error["key"]) == ("not_found", "sku", "NOPE")


def test_an_unknown_gtin_is_a_404_and_a_bad_one_a_422(api_viewer: httpx.Client) -> None:
    assert api_viewer.get("/api/v1/items/by-gtin/4006381333931").status_code == 404
    bad = api_viewer.get("/api/v1/items/by-gtin/4006381333932")
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "gtin"


def test_an_unknown_unit_is_a_404_naming_the_field(api_operator: httpx.Client) -> None:
    response = api_operator.post("/api/v1/items", json={"sku": "X-1", "name": "X", "unit": "parsec"})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "unit"


def test_a_duplicate_sku_is_a_409(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/items", json={"sku": "TEA-1", "name": "Green tea"})
    response = api_operator.post("/api/v1/items", json={"sku": "TEA-1", "name": "Other"})
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "sku"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sku": "bad sku!", "name": "X"}, "sku"),
        ({"sku": "X-1", "name": ""}, "name"),
        ({"sku": "X-1", "name": "X", "tracking": "maybe"}, "tracking"),
        ({"sku": "X-1", "name": "X", "shelf_life_days": 0}, "shelf_life_days"),
        ({"sku": "X-1", "name": "X", "shelf_life_days": "10"}, "shelf_life_days"),
        ({"sku": "X-1", "name": "X", "shelf_life_days": 10**30}, "shelf_life_days"),
        ({"sku": "X-1"}, "name"),
        ({"sku": "X-1", "name": "X", "colour": "red"}, "colour"),
        ({"sku": 5, "name": "X"}, "sku"),
    ],
)
def test_a_bad_item_is_a_422_naming_the_field(api_operator: httpx.Client, body: dict, field: str) -> None:
    response = api_operator.post("/api/v1/items", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_input", field)
    assert error["reason"]
    assert api_operator.get("/api/v1/items").json() == {"items": []}


def test_lots_are_created_listed_read_and_quarantined(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/items", json={"sku": "HONEY", "name": "Honey", "tracking": "lot"})
    created = api_operator.post(
        "/api/v1/items/HONEY/lots",
        json={"code": "H1", "production_date": "2026-01-01", "expiry_date": "2026-12-31"},
    )
    assert created.status_code == 201
    assert created.json() == {
        "sku": "HONEY", "code": "H1", "status": "released",
        "expiry_date": "2026-12-31", "production_date": "2026-01-01",
    }
    assert [lot["code"] for lot in api_operator.get("/api/v1/items/HONEY/lots").json()["lots"]] == ["H1"]
    assert api_operator.get("/api/v1/items/HONEY/lots/H1").json()["status"] == "released"
    held = api_operator.post("/api/v1/items/HONEY/lots/H1/status", json={"status": "quarantined"})
    assert held.status_code == 200
    assert held.json()["status"] == "quarantined"


def test_bad_lots_are_refused_with_the_field_named(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/items", json={"sku": "TEA-1", "name": "Tea"})
    api_operator.post("/api/v1/items", json={"sku": "HONEY", "name": "Honey", "tracking": "lot"})
    untracked = api_operator.post("/api/v1/items/TEA-1/lots", json={"code": "L1"})
    assert (untracked.status_code, untracked.json()["error"]["field"]) == (422, "code")
    bad_date = api_operator.post("/api/v1/items/HONEY/lots", json={"code": "H1", "expiry_date": "31/12/2026"})
    assert (bad_date.status_code, bad_date.json()["error"]["field"]) == (422, "expiry_date")
    unknown = api_operator.get("/api/v1/items/HONEY/lots/NOPE")
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (404, "code")
    status = api_operator.post("/api/v1/items/HONEY/lots/NOPE/status", json={"status": "lost"})
    assert (status.status_code, status.json()["error"]["field"]) == (422, "status")
