"""Refused order requests: one clear error each, and neither the ledger, the reservations
nor any order changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.orders.commands import (
    ConfirmPick,
    CreateOrder,
    OrderAction,
    PickConfirmation,
    ShipLine,
    ShipLineFrom,
    ShipOrder,
)
from onhand.services.orders.sales_orders import NewOrderLine
from tests.e2e.conftest import OrderBooks

# SO-000001: TEA 3 (picked and shipped) and HONEY 6 (reserved: H-EARLY 4 at NY-B1 and
# H-LATE 2 at NY-A1, nothing picked). SO-000002: cancelled.
OPEN = "SO-000001"
CANCELLED = "SO-000002"


@pytest.fixture(autouse=True)
def orders(api_two_sites: Onhand) -> None:
    onhand = api_two_sites
    services.sales_orders.create_order(
        onhand, CreateOrder(
            channel="shop", external_id="1001", lines=[NewOrderLine("TEA", "3"), NewOrderLine("HONEY", "6")],
        ),
    )
    services.sales_orders.ship_line_from(onhand, ShipLineFrom(OPEN, line_no=1, location="NY"))
    services.sales_orders.ship_line_from(onhand, ShipLineFrom(OPEN, line_no=2, location="NY"))
    services.picking.confirm_pick(onhand, ConfirmPick(OPEN, picks=[PickConfirmation("TEA", "NY-A1", "3")]))
    services.shipping.ship_order(onhand, ShipOrder(OPEN, lines=[ShipLine(1, "3")]))
    services.sales_orders.create_order(onhand, CreateOrder(lines=[NewOrderLine("TEA", "1")]))
    services.sales_orders.allocate_order(onhand, OrderAction(CANCELLED))
    services.sales_orders.cancel_order(onhand, OrderAction(CANCELLED))


@pytest.fixture(autouse=True)
def unchanged(orders: None, api_order_books: Callable[[], OrderBooks]) -> Iterator[None]:
    """Every test's requests are refused: moves, balances, reservations, orders stay as they were."""
    before = api_order_books()
    # (reference, status, line, ordered, reserved, picked, shipped, returned, packages, shipments)
    assert set(before[2]) == {
        (OPEN, "partially_shipped", 1, 3, 0, 0, 3, 0, 0, 1), (OPEN, "partially_shipped", 2, 6, 6, 0, 0, 0, 0, 1),
        (CANCELLED, "cancelled", 1, 1, 0, 0, 0, 0, 0, 0),
    }
    yield
    assert api_order_books() == before


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def test_shipping_more_than_is_reserved_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post(
        f"/api/v1/orders/{OPEN}/shipments", json={"lines": [{"line_no": 2, "quantity": 7}]}
    ), 409)
    assert error["code"] == "conflict"
    assert error["message"] == "lines[0].quantity: shipping 7 of line 2 (HONEY) but only 6 is reserved"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("shipments", None),
        ("allocate", None),
        ("cancel", None),
        ("picks", {"picks": [{"sku": "TEA", "location": "NY-A1", "quantity": 1}]}),
        ("lines/1/location", {"location": "LA"}),
    ],
)
def test_acting_on_a_cancelled_order_is_a_409(api_operator: httpx.Client, path: str, body: Any) -> None:
    error = _error(api_operator.post(f"/api/v1/orders/{CANCELLED}/{path}", json=body), 409)
    assert error["message"] == f"order: {CANCELLED} is cancelled"


def test_changing_an_order_that_has_shipped_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(api_operator.patch(f"/api/v1/orders/{OPEN}", json={"customer": "Grace"}), 409)
    assert error["message"] == f"order: {OPEN} is partially_shipped and can no longer be changed"


def test_picking_an_expired_lot_is_a_422(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post(f"/api/v1/orders/{OPEN}/picks", json={"picks": [
        {"sku": "HONEY", "location": "NY-B1", "quantity": 1, "lot": "H-OLD"},
    ]}), 422)
    assert (error["field"], error["reason"]) == ("picks[0].lot", "lot H-OLD expired on 2026-02-01; it cannot be picked")


def test_picking_more_than_is_left_to_pick_there_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post(f"/api/v1/orders/{OPEN}/picks", json={"picks": [
        {"sku": "HONEY", "location": "NY-B1", "quantity": 4, "lot": "H-EARLY"},
        {"sku": "HONEY", "location": "NY-A1", "quantity": 3, "lot": "H-LATE"},
    ]}), 409)
    assert error["message"].startswith("picks[1].quantity: 3 of HONEY picked at NY-A1")


def test_packing_what_was_not_picked_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post(f"/api/v1/orders/{OPEN}/packages", json={"packages": [
        {"contents": [{"line_no": 2, "quantity": 1}]},
    ]}), 409)
    assert error["message"].startswith("packages[0].contents[0].quantity: line 2 has 0 picked")


def test_returning_more_than_was_shipped_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post(f"/api/v1/orders/{OPEN}/returns", json={
        "location": "NY-RETURNS", "lines": [{"line_no": 1, "quantity": 4}],
    }), 409)
    assert "only 3 was shipped and not yet returned" in error["message"]


@pytest.mark.parametrize(
    ("line", "status", "field"),
    [({"line_no": 1, "quantity": 1, "condition": "smelly"}, 422, "lines[0].condition"),
     ({"line_no": 1, "quantity": 1, "reason": "bored"}, 404, "lines[0].reason"),
     ({"line_no": 9, "quantity": 1}, 422, "lines[0].line_no"),
     ({"line_no": 1, "quantity": "0.5"}, 422, "lines[0].quantity"),
     ({"line_no": 2, "quantity": 1}, 422, "lines[0].lot")],
)
def test_a_bad_return_line_is_refused_naming_its_field(
    api_operator: httpx.Client, line: dict[str, Any], status: int, field: str
) -> None:
    response = api_operator.post(f"/api/v1/orders/{OPEN}/returns", json={"location": "NY-RETURNS", "lines": [line]})
    assert _error(response, status)["field"] == field


def test_an_unknown_sku_is_a_404_naming_the_line(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post("/api/v1/orders", json={"lines": [
        {"sku": "TEA", "quantity": 1}, {"sku": "COFFEE", "quantity": 1},
    ]}), 404)
    assert (error["field"], error["what"], error["key"]) == ("lines[1].sku", "item", "COFFEE")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "TEA", "quantity": "1.5"}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "TEA", "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "TEA", "quantity": 1, "unit_price": "-1"}]}, "lines[0].unit_price"),
        ({"lines": [{"sku": "TEA", "quantity": 1, "lot": "H-EARLY"}]}, "lines[0].lot"),
        ({"lines": [{"sku": "TEA", "quantity": 1, "location": "NY-RETURNS"}]}, "lines[0].location"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "channel": "Web Shop!"}, "channel"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "currency": "euro"}, "currency"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "requested_ship_date": "soon"}, "requested_ship_date"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "ship_to": {"latitude": 40}}, "ship_to.latitude"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "ship_to": {"latitude": "north", "longitude": 1}},
         "ship_to.latitude"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "ship_to": {"country": "USA"}}, "ship_to.country"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "reference": "SO 1"}, "reference"),
        ({"lines": [{"sku": "TEA", "quantity": 1}], "colour": "red"}, "colour"),
    ],
)
def test_a_bad_new_order_is_a_422_naming_the_field(
    api_operator: httpx.Client, body: dict[str, Any], field: str
) -> None:
    error = _error(api_operator.post("/api/v1/orders", json=body), 422)
    assert (error["code"], error["field"]) == ("invalid_input", field)


def test_a_taken_reference_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post("/api/v1/orders", json={
        "reference": OPEN, "lines": [{"sku": "TEA", "quantity": 1}],
    }), 409)
    assert (error["code"], error["field"]) == ("already_exists", "reference")


@pytest.mark.parametrize(
    "request_",
    [("GET", "/api/v1/orders/SO-999"), ("GET", "/api/v1/orders/SO-999/pick-list"),
     ("POST", "/api/v1/orders/SO-999/allocate"), ("GET", "/api/v1/orders/by-external-id/shop/999")],
)
def test_an_unknown_order_is_a_404(api_operator: httpx.Client, request_: tuple[str, str]) -> None:
    error = _error(api_operator.request(*request_), 404)
    assert error["what"] == "sales order"


def test_an_unknown_line_is_a_404_and_a_malformed_line_number_a_422(api_operator: httpx.Client) -> None:
    unknown = _error(api_operator.post(f"/api/v1/orders/{OPEN}/lines/9/location", json={"location": "LA"}), 404)
    malformed = _error(api_operator.post(f"/api/v1/orders/{OPEN}/lines/two/location", json={"location": "LA"}), 422)
    assert (unknown["field"], malformed["field"]) == ("line_no", "line_no")


def test_shipping_a_line_from_a_non_sellable_location_is_a_422(api_operator: httpx.Client) -> None:
    error = _error(api_operator.post(f"/api/v1/orders/{OPEN}/lines/2/location", json={"location": "NY-RETURNS"}), 422)
    assert error["field"] == "location"


def test_a_viewer_can_read_orders_but_not_create_or_fulfil_them(api_viewer: httpx.Client) -> None:
    assert api_viewer.get(f"/api/v1/orders/{OPEN}").status_code == 200
    assert api_viewer.get(f"/api/v1/orders/{OPEN}/pick-list").status_code == 200
    for method, path, body in [
        ("POST", "/api/v1/orders", {"lines": [{"sku": "TEA", "quantity": 1}]}),
        ("PATCH", f"/api/v1/orders/{OPEN}", {"customer": "x"}),
        ("POST", f"/api/v1/orders/{OPEN}/allocate", None),
        ("POST", f"/api/v1/orders/{OPEN}/shipments", None),
        ("POST", f"/api/v1/orders/{OPEN}/cancel", None),
        ("PATCH", "/api/v1/locations/NY/routing", {"priority": 1}),
    ]:
        error = _error(api_viewer.request(method, path, json=body), 403)
        assert error["code"] == "forbidden"


def test_an_order_call_without_a_key_is_a_401(api_anonymous: httpx.Client) -> None:
    for method, path in [("GET", "/api/v1/orders"), ("POST", f"/api/v1/orders/{OPEN}/shipments")]:
        assert _error(api_anonymous.request(method, path), 401)["code"] == "unauthorized"


def test_an_unknown_status_filter_is_a_422(api_viewer: httpx.Client) -> None:
    assert _error(api_viewer.get("/api/v1/orders", params={"status": "lost"}), 422)["field"] == "status"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"latitude": 10}, "latitude"), ({"latitude": 91, "longitude": 0}, "latitude"),
     ({"zones": ["United States"]}, "zones"), ({"priority": -1}, "priority"),
     ({"walk_order": "first"}, "walk_order"), ({"priority": True}, "priority")],
)
def test_bad_routing_is_a_422_naming_the_field(api_operator: httpx.Client, body: dict[str, Any], field: str) -> None:
    assert _error(api_operator.patch("/api/v1/locations/NY/routing", json=body), 422)["field"] == field


def test_a_negative_minimum_shelf_life_is_a_422(api_operator: httpx.Client, api_admin: httpx.Client) -> None:
    item = _error(api_operator.patch("/api/v1/items/HONEY", json={"min_remaining_shelf_life_days": -1}), 422)
    company = _error(api_admin.patch("/api/v1/company", json={"min_remaining_shelf_life_days": 40000}), 422)
    assert item["field"] == company["field"] == "min_remaining_shelf_life_days"
