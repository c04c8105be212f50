"""Sales orders over HTTP: create, find, list, change, re-route; routing and shelf-life settings."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("api_two_sites")

SHOP_ORDER = {"channel": "shop", "external_id": "1001", "lines": [{"sku": "TEA", "quantity": "2"}]}


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _reserved_at(order: dict[str, Any], line_no: int) -> list[tuple[str, str | None, str]]:
    line = next(line for line in order["lines"] if line["line_no"] == line_no)
    return [(r["location"], r["lot"], r["quantity"]) for r in line["reservations"]]


def test_a_new_order_reads_back_with_every_field(api_operator: httpx.Client) -> None:
    created = _ok(api_operator.post("/api/v1/orders", json={
        "reference": "WEB/1001", "customer": "Ada", "currency": "eur", "exchange_rate": "1.08",
        "requested_ship_date": "2026-03-09", "ship_to": {"city": "Newark", "country": "US"},
        "lines": [{"sku": "HONEY", "quantity": 1, "unit_price": "12.00", "lot": "H-LATE", "location": "NY-A1"}],
    }), 201)

    assert {k: created[k] for k in ("reference", "channel", "external_id", "customer", "currency", "exchange_rate",
                                    "requested_ship_date", "status", "routing_note", "cancelled_at")} == {
        "reference": "WEB/1001", "channel": "manual", "external_id": None, "customer": "Ada", "currency": "EUR",
        "exchange_rate": "1.08",
        "requested_ship_date": "2026-03-09", "status": "open", "routing_note": None, "cancelled_at": None,
    }
    assert created["lines"] == [{
        "line_no": 1, "sku": "HONEY", "quantity": "1", "unit_price": "12", "lot": "H-LATE", "location": "NY-A1",
        "reserved": "0", "picked": "0", "shipped": "0", "returned": "0", "backordered": "1", "open": "1",
        "reservations": [], "kit_line_no": None,
    }]
    assert (created["shipments"], created["packages"], created["returns"]) == ([], [], [])
    # A reference with "/" works as it is or percent-encoded
    assert _ok(api_operator.get("/api/v1/orders/WEB/1001")) == created
    assert _ok(api_operator.get("/api/v1/orders/WEB%2F1001"))["reference"] == "WEB/1001"


def test_sending_the_same_channel_order_again_returns_the_first_one(api_operator: httpx.Client) -> None:
    first = _ok(api_operator.post("/api/v1/orders", json=SHOP_ORDER), 201)
    again = _ok(api_operator.post("/api/v1/orders", json={**SHOP_ORDER, "customer": "changed"}), 201)

    assert again == first
    assert len(_ok(api_operator.get("/api/v1/orders", params={"channel": "shop"}))["orders"]) == 1
    found = _ok(api_operator.get("/api/v1/orders/by-external-id/shop/1001"))
    assert found["reference"] == first["reference"]


def test_an_order_replayed_with_its_idempotency_key_is_created_once(api_operator: httpx.Client) -> None:
    body = {"lines": [{"sku": "TEA", "quantity": 1}]}
    first = _ok(api_operator.post("/api/v1/orders", json=body, headers={"Idempotency-Key": "order-1"}), 201)
    again = _ok(api_operator.post("/api/v1/orders", json=body, headers={"Idempotency-Key": "order-1"}), 201)
    other = api_operator.post(
        "/api/v1/orders", json={"lines": [{"sku": "TEA", "quantity": 2}]}, headers={"Idempotency-Key": "order-1"}
    )

    assert again == first
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert [o["reference"] for o in _ok(api_operator.get("/api/v1/orders"))["orders"]] == [first["reference"]]


def test_orders_are_listed_by_status_and_channel_and_paged(api_operator: httpx.Client) -> None:
    for number in range(3):
        api_operator.post("/api/v1/orders", json={**SHOP_ORDER, "external_id": str(number)})
    manual = _ok(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "TEA", "quantity": 1}]}), 201)
    api_operator.post(f"/api/v1/orders/{manual['reference']}/allocate")

    def references(**params: Any) -> list[str]:
        return [o["reference"] for o in _ok(api_operator.get("/api/v1/orders", params=params))["orders"]]

    assert len(references()) == 4
    assert references(status="allocated") == [manual["reference"]]
    assert len(references(channel="shop", status="open")) == 3
    assert len(references(limit=2)) == 2
    assert len(references(limit=2, offset=2)) == 2
    assert references(limit=2) != references(limit=2, offset=2)


def test_changing_an_allocated_order_allocates_it_again(api_operator: httpx.Client) -> None:
    ref = _ok(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "TEA", "quantity": 2}]}), 201)["reference"]
    api_operator.post(f"/api/v1/orders/{ref}/allocate")

    changed = _ok(api_operator.patch(f"/api/v1/orders/{ref}", json={
        "customer": "Grace", "requested_ship_date": "2026-03-20",
        "lines": [{"sku": "TEA", "quantity": 4}, {"sku": "HONEY", "quantity": 1, "lot": "H-ALT"}],
    }))

    assert (changed["customer"], changed["requested_ship_date"], changed["status"]) == (
        "Grace", "2026-03-20", "allocated",
    )
    assert [line["reserved"] for line in changed["lines"]] == ["4", "1"]
    assert _reserved_at(changed, 2) == [("NY-A1", "H-ALT", "1")]
    cleared = _ok(api_operator.patch(f"/api/v1/orders/{ref}", json={"customer": ""}))
    assert (cleared["customer"], [line["reserved"] for line in cleared["lines"]]) == (None, ["4", "1"])


def test_one_line_can_be_shipped_from_another_location(api_operator: httpx.Client) -> None:
    ref = _ok(api_operator.post("/api/v1/orders", json={
        "ship_to": {"country": "US", "latitude": 40.7, "longitude": -74.0},
        "lines": [{"sku": "TEA", "quantity": 2}, {"sku": "HONEY", "quantity": 1}],
    }), 201)["reference"]
    assert _reserved_at(_ok(api_operator.post(f"/api/v1/orders/{ref}/allocate")), 1) == [("NY-A1", None, "2")]

    moved = _ok(api_operator.post(f"/api/v1/orders/{ref}/lines/1/location", json={"location": "LA"}))

    assert _reserved_at(moved, 1) == [("LA", None, "2")]
    assert moved["lines"][0]["location"] == "LA"
    assert _reserved_at(moved, 2) == [("NY-B1", "H-EARLY", "1")]
    tea = _ok(api_operator.get("/api/v1/stock", params={"sku": "TEA", "group_by": "location"}))["levels"]
    assert [(lv["location"], lv["reserved"]) for lv in tea] == [("LA", "2"), ("NY", "0")]


def test_routing_zones_send_an_order_to_the_site_serving_its_postcode(api_operator: httpx.Client) -> None:
    routed = _ok(api_operator.patch("/api/v1/locations/LA/routing", json={"zones": ["us:07", "US-NJ"], "priority": 5}))
    assert routed["routing"] == {
        "priority": 5, "latitude": 34.05, "longitude": -118.24, "zones": ["US:07", "US-NJ"], "walk_order": None,
    }
    ref = _ok(api_operator.post("/api/v1/orders", json={
        "ship_to": {"country": "US", "postcode": "07102"}, "lines": [{"sku": "TEA", "quantity": 1}],
    }), 201)["reference"]

    order = _ok(api_operator.post(f"/api/v1/orders/{ref}/allocate"))

    assert _reserved_at(order, 1) == [("LA", None, "1")]
    cleared = _ok(api_operator.patch("/api/v1/locations/LA/routing", json={"zones": []}))
    assert (cleared["routing"]["zones"], cleared["routing"]["priority"]) == ([], 5)


def test_a_bins_walk_order_and_a_sites_coordinates_are_set_and_read_back(api_operator: httpx.Client) -> None:
    _ok(api_operator.patch("/api/v1/locations/NY-A1/routing", json={"walk_order": 0}))
    _ok(api_operator.patch("/api/v1/locations/NY/routing", json={"latitude": 40.75, "longitude": -73.99}))

    assert _ok(api_operator.get("/api/v1/locations/NY-A1"))["routing"]["walk_order"] == 0
    assert _ok(api_operator.get("/api/v1/locations/NY"))["routing"]["latitude"] == 40.75
    ref = _ok(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "HONEY", "quantity": 6}]}), 201)["reference"]
    api_operator.post(f"/api/v1/orders/{ref}/lines/1/location", json={"location": "NY"})
    lines = _ok(api_operator.get(f"/api/v1/orders/{ref}/pick-list"))["sites"][0]["lines"]
    assert [line["location"] for line in lines] == ["NY-A1", "NY-B1"]

    # An explicit null clears; an absent field stays
    bin_routing = _ok(api_operator.patch("/api/v1/locations/NY-A1/routing", json={"walk_order": None}))["routing"]
    assert bin_routing["walk_order"] is None
    site = _ok(api_operator.patch("/api/v1/locations/NY/routing", json={"latitude": None, "longitude": None}))
    assert (site["routing"]["latitude"], site["routing"]["longitude"]) == (None, None)
    kept = _ok(api_operator.patch("/api/v1/locations/NY/routing", json={"priority": 7}))["routing"]
    assert (kept["priority"], kept["latitude"]) == (7, None)


def test_a_minimum_remaining_shelf_life_skips_lots_expiring_too_soon(
    api_operator: httpx.Client, api_admin: httpx.Client
) -> None:
    # H-EARLY expires 2026-09-30: fewer than 250 days after 2026-03-02
    item = _ok(api_operator.patch("/api/v1/items/HONEY", json={"min_remaining_shelf_life_days": 250}))
    assert item["min_remaining_shelf_life_days"] == 250
    first = _ok(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "HONEY", "quantity": 2}]}), 201)
    first = _ok(api_operator.post(f"/api/v1/orders/{first['reference']}/lines/1/location", json={"location": "NY"}))
    assert _reserved_at(first, 1) == [("NY-A1", "H-LATE", "2")]

    company = _ok(api_admin.patch("/api/v1/company", json={"min_remaining_shelf_life_days": 600}))
    assert company["min_remaining_shelf_life_days"] == 600
    _ok(api_operator.patch("/api/v1/items/HONEY", json={"min_remaining_shelf_life_days": 0}))
    second = _ok(api_operator.post("/api/v1/orders", json={"lines": [{"sku": "HONEY", "quantity": 2}]}), 201)
    second = _ok(api_operator.post(f"/api/v1/orders/{second['reference']}/lines/1/location", json={"location": "NY"}))
    assert _reserved_at(second, 1) == [("NY-B1", "H-EARLY", "2")]  # the item's 0 days beat the company's 600


def test_openapi_documents_the_order_routes_and_their_errors(api_anonymous: httpx.Client) -> None:
    spec = _ok(api_anonymous.get("/openapi.json"))
    for path in (
        "/api/v1/orders", "/api/v1/orders/{reference}", "/api/v1/orders/by-external-id/{channel}/{external_id}",
        "/api/v1/orders/{reference}/allocate", "/api/v1/orders/{reference}/lines/{line_no}/location",
        "/api/v1/orders/{reference}/cancel", "/api/v1/orders/{reference}/pick-list",
        "/api/v1/orders/{reference}/picks", "/api/v1/orders/{reference}/packages",
        "/api/v1/orders/{reference}/shipments", "/api/v1/orders/{reference}/returns",
        "/api/v1/locations/{code}/routing",
    ):
        assert path in spec["paths"]
    shipments = spec["paths"]["/api/v1/orders/{reference}/shipments"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(shipments)
    line = spec["components"]["schemas"]["OrderLineOut"]["properties"]
    assert (line["reserved"]["type"], line["open"]["type"]) == ("string", "string")


def test_an_order_is_created_and_allocated_in_one_request(api_operator: httpx.Client) -> None:
    created = _ok(api_operator.post("/api/v1/orders", json={**SHOP_ORDER, "allocate": True}), 201)

    assert created["status"] == "allocated"
    assert [(line["reserved"], line["backordered"]) for line in created["lines"]] == [("2", "0")]
    assert _ok(api_operator.get(f"/api/v1/orders/{created['reference']}")) == created
    # Found again by its channel and id, it is returned as it is: never allocated twice.
    again = _ok(api_operator.post("/api/v1/orders", json={**SHOP_ORDER, "allocate": True}), 201)
    assert again == created
    refused = api_operator.post("/api/v1/orders", json={**SHOP_ORDER, "external_id": "1002", "allocate": "yes"})
    assert refused.status_code == 422 and "allocate" in refused.text
