"""Supplier shipments (ASNs) over HTTP: ship into transit, receive in parts, write off."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.purchasing.commands import CreatePurchaseOrder, CreateSupplier, PurchaseOrderAction
from onhand.services.purchasing.purchase_orders import NewPurchaseLine

API = "/api/v1"


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def ordered(onhand: Onhand) -> Onhand:
    """PO-000001: 50 MUG at 4.00 to NY; OCEAN-1 the only transit location."""
    for code, kind, parent in (("NY", "warehouse", None), ("NY-A1", "bin", "NY"), ("OCEAN-1", "transit", None)):
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind=kind, parent=parent))
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    services.purchase_orders.create_purchase_order(onhand, CreatePurchaseOrder(
        supplier="ACME", destination="NY", lines=[NewPurchaseLine("MUG", 50, "4.00")]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction("PO-000001"))
    return onhand


def test_a_shipment_travels_arrives_in_parts_and_the_rest_is_written_off(
    ordered: Onhand, api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    shipment = _ok(api_operator.post(f"{API}/purchase-orders/PO-000001/shipments", json={
        "lines": [{"line_no": 1, "quantity": 50}], "container": "MSCU-4471", "vessel": "Maersk Essen",
        "eta": "2026-03-23", "landed_costs": [{"kind": "freight", "amount": "100.00"}],
    }), 201)
    assert (shipment["reference"], shipment["status"], shipment["transit"], shipment["eta"]) == (
        "ASN-000001", "in_transit", "OCEAN-1", "2026-03-23")
    assert [c["amount"] for c in shipment["landed_costs"]] == ["100"]
    (mug,) = _ok(api_viewer.get(f"{API}/stock", params={"sku": "MUG"}))["levels"]
    assert (mug["on_hand"], mug["available"], mug["incoming"]) == ("50", "0", "50")

    moved = _ok(api_operator.patch(f"{API}/supplier-shipments/ASN-000001", json={"eta": "2026-03-27"}))
    assert moved["eta"] == "2026-03-27"
    part = _ok(api_operator.post(f"{API}/supplier-shipments/ASN-000001/receive", json={
        "lines": [{"line_no": 1, "quantity": "45", "location": "NY-A1"}]}))
    assert (part["status"], part["lines"][0]["in_transit"]) == ("partially_received", "5")
    order = _ok(api_viewer.get(f"{API}/purchase-orders/PO-000001"))
    assert (order["status"], order["lines"][0]["received"], order["lines"][0]["in_transit"]) == (
        "partially_received", "45", "5")
    assert order["shipments"] == ["ASN-000001"]

    too_many = api_operator.post(f"{API}/supplier-shipments/ASN-000001/receive",
                                 json={"lines": [{"line_no": 1, "quantity": 6}]})
    assert too_many.status_code == 409 and "lines[0].quantity" in too_many.text
    bad = api_operator.post(f"{API}/supplier-shipments/ASN-000001/receive",
                            json={"lines": [{"line_no": 1, "quantity": "-1"}]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "lines[0].quantity"

    closed = _ok(api_operator.post(f"{API}/supplier-shipments/ASN-000001/write-off", json={"note": "crushed"}))
    assert (closed["status"], closed["lines"][0]["written_off"]) == ("closed", "5")
    listed = _ok(api_viewer.get(f"{API}/purchase-orders/PO-000001/shipments"))["shipments"]
    assert [s["reference"] for s in listed] == ["ASN-000001"]
    assert _ok(api_viewer.get(f"{API}/supplier-shipments/ASN-000001"))["status"] == "closed"


def test_shipping_names_the_field_it_refuses(ordered: Onhand, api_operator: httpx.Client) -> None:
    wrong = api_operator.post(f"{API}/purchase-orders/PO-000001/shipments",
                              json={"lines": [{"line_no": 1, "quantity": 5}], "transit": "NY"})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "transit"
    unknown = api_operator.get(f"{API}/supplier-shipments/ASN-000009")
    assert unknown.status_code == 404
