"""Purchasing over HTTP: suppliers, prices, purchase orders, scanned receipts, landed costs."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation

API = "/api/v1"
GS = "\x1d"


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def _error(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    return response.json()["error"]


@pytest.fixture
def stocked(onhand: Onhand) -> Onhand:
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="NY-A1", name="Aisle A1", kind="bin", parent="NY"))
    services.items.create_item(onhand, CreateItem(sku="TEA", name="Tea", tracking="lot", gtin="09501101530003"))
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug", weight_kg="0.4"))
    return onhand


def test_a_purchase_order_is_drafted_placed_received_by_scan_and_shows_in_stock(
    stocked: Onhand, api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    supplier = _ok(api_operator.post(f"{API}/suppliers", json={"code": "ACME", "name": "Acme", "lead_time_days": 5}),
                   201)
    assert (supplier["currency"], supplier["over_receipt_tolerance_pct"]) == ("USD", None)
    price = _ok(api_operator.put(f"{API}/supplier-prices",
                                 json={"supplier": "ACME", "sku": "TEA", "unit_cost": 2.25, "pack_size": "12"}))
    assert (price["unit_cost"], price["pack_size"]) == ("2.25", "12")
    order = _ok(api_operator.post(f"{API}/purchase-orders", json={
        "supplier": "ACME", "destination": "NY", "supplier_reference": "ACK-9",
        "lines": [{"sku": "TEA", "quantity": 24}, {"sku": "MUG", "quantity": "10", "unit_cost": "3.10"}],
    }), 201)
    assert (order["reference"], order["status"], order["expected_date"], order["total"]) == (
        "PO-000001", "draft", "2026-03-07", "85")
    again = _ok(api_operator.post(f"{API}/purchase-orders", json={
        "supplier": "ACME", "destination": "NY", "supplier_reference": "ACK-9", "lines": [{"sku": "MUG", "quantity": 1,
                                                                                         "unit_cost": 1}]}), 201)
    assert again["reference"] == "PO-000001"
    placed = _ok(api_operator.post(f"{API}/purchase-orders/PO-000001/place"))
    assert placed["status"] == "ordered"
    (tea,) = _ok(api_viewer.get(f"{API}/stock", params={"sku": "TEA"}))["levels"]
    assert (tea["incoming"], tea["incoming_expected"], tea["available"]) == ("24", "2026-03-07", "0")

    scan = _ok(api_viewer.post(f"{API}/scan", json={"barcode": f"]C10109501101530003172612001012B{GS}3012"}))
    assert (scan["sku"], scan["lot"], scan["expiry_date"], scan["count"]) == ("TEA", "12B", "2026-12-31", "12")
    receipt = _ok(api_operator.post(f"{API}/purchase-orders/PO-000001/receipts", json={
        "lines": [{"barcode": f"]C10109501101530003172612001012B{GS}3012", "location": "NY-A1"},
                  {"line_no": 2, "quantity": 10}],
        "delivery_reference": "DN-1",
        "landed_costs": [{"kind": "freight", "amount": "20.00", "method": "quantity"}],
    }), 201)
    assert (receipt["reference"], receipt["purchase_order_status"]) == ("GRN-000001", "partially_received")
    assert [(ln["sku"], ln["lot"], ln["location"], ln["quantity"], ln["landed_cost"]) for ln in receipt["lines"]] == [
        ("TEA", "12B", "NY-A1", "12", "10.91"), ("MUG", None, "NY", "10", "9.09")]
    assert [share["amount"] for share in receipt["landed_costs"][0]["allocations"]] == ["10.91", "9.09"]
    (tea,) = _ok(api_viewer.get(f"{API}/stock", params={"sku": "TEA"}))["levels"]
    assert (tea["on_hand"], tea["available"], tea["incoming"]) == ("12", "12", "12")

    duty = _ok(api_operator.post(f"{API}/receipts/GRN-000001/landed-costs", json={
        "landed_costs": [{"kind": "duty", "amount": "5", "method": "value"}]}))
    assert len(duty["landed_costs"]) == 2
    closed = _ok(api_operator.post(f"{API}/purchase-orders/PO-000001/close"))
    assert (closed["status"], closed["lines"][0]["open"], closed["receipts"]) == ("closed", "0", ["GRN-000001"])
    assert len(_ok(api_viewer.get(f"{API}/purchase-orders/PO-000001/receipts"))["receipts"]) == 1
    assert _ok(api_viewer.get(f"{API}/receipts/GRN-000001"))["delivery_reference"] == "DN-1"
    listed = _ok(api_viewer.get(f"{API}/purchase-orders", params={"status": "closed"}))["purchase_orders"]
    assert [o["reference"] for o in listed] == ["PO-000001"]
    assert services.integrity.verify(stocked).ok


def test_purchasing_errors_name_the_field_and_change_nothing(
    stocked: Onhand, api_operator: httpx.Client, api_viewer: httpx.Client, api_admin: httpx.Client
) -> None:
    _ok(api_operator.post(f"{API}/suppliers", json={"code": "ACME", "name": "Acme"}), 201)
    assert _error(api_operator.post(f"{API}/suppliers", json={"code": "ACME", "name": "Again"}), 409)["field"] == "code"
    bad = _error(api_operator.post(f"{API}/purchase-orders", json={
        "supplier": "ACME", "destination": "NY", "lines": [{"sku": "MUG", "quantity": 2}]}), 422)
    assert bad["field"] == "lines[0].unit_cost"
    order = _ok(api_operator.post(f"{API}/purchase-orders", json={
        "supplier": "ACME", "destination": "NY", "lines": [{"sku": "MUG", "quantity": 2, "unit_cost": "1"}]}), 201)
    ref = order["reference"]
    early = _error(api_operator.post(f"{API}/purchase-orders/{ref}/receipts",
                                     json={"lines": [{"line_no": 1, "quantity": 1}]}), 409)
    assert "place it first" in early["message"]
    _ok(api_operator.post(f"{API}/purchase-orders/{ref}/place"))
    over = _error(api_operator.post(f"{API}/purchase-orders/{ref}/receipts",
                                    json={"lines": [{"line_no": 1, "quantity": 3}]}), 409)
    assert (over["code"], over["field"], over["allowed"]) == ("over_receipt", "lines[0].quantity", "2")
    unknown = _error(api_operator.post(f"{API}/purchase-orders/{ref}/receipts",
                                       json={"lines": [{"barcode": "0104012345678901"}]}), 404)
    assert unknown["field"] == "lines[0].barcode"
    malformed = _error(api_viewer.post(f"{API}/scan", json={"barcode": "(17)251399"}), 422)
    assert malformed["field"] == "barcode"
    assert _error(api_viewer.post(f"{API}/purchase-orders/{ref}/cancel"), 403)
    assert _ok(api_admin.patch(f"{API}/company", json={"over_receipt_tolerance_pct": "50"}))[
        "over_receipt_tolerance_pct"] == "50"
    received = _ok(api_operator.post(f"{API}/purchase-orders/{ref}/receipts",
                                     json={"lines": [{"line_no": 1, "quantity": 3}]}), 201)
    assert received["purchase_order_status"] == "received"
