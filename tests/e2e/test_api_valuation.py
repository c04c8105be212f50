"""Costing methods, the valuation report and a posting's move values over HTTP."""

from __future__ import annotations

import httpx

from onhand import services
from onhand.bootstrap import Onhand
from onhand.services.purchase_orders import NewPurchaseLine
from onhand.services.receiving import ReceiptLine


def test_the_costing_method_is_chosen_by_an_admin(api_admin: httpx.Client, api_viewer: httpx.Client) -> None:
    assert api_viewer.get("/api/v1/costing").json() == {"method": "fifo"}
    assert api_viewer.put("/api/v1/costing", json={"method": "moving_average"}).status_code == 403
    response = api_admin.put("/api/v1/costing", json={"method": "moving_average"})
    assert (response.status_code, response.json()) == (200, {"method": "moving_average"})
    refused = api_admin.put("/api/v1/costing", json={"method": "lifo"})
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "costing_method")


def test_an_item_overrides_the_method_and_the_report_and_values_are_read(onhand: Onhand,
                                                                          api_admin: httpx.Client) -> None:
    services.items.create_item(onhand, sku="TEA-1", name="Green tea", unit="each")
    response = api_admin.put("/api/v1/costing/items/TEA-1", json={"method": "moving_average"})
    assert response.json() == {"sku": "TEA-1", "method": "moving_average", "own_method": "moving_average"}
    services.locations.create_location(onhand, code="NY", name="New York", kind="warehouse")
    services.locations.create_location(onhand, code="LA", name="Los Angeles", kind="store")
    services.suppliers.create_supplier(onhand, code="ACME", name="Acme")
    for cost in ("5.00", "6.00"):
        order = services.purchase_orders.create_purchase_order(
            onhand, supplier="ACME", destination_location="NY", lines=[NewPurchaseLine("TEA-1", 10, cost)])
        services.purchase_orders.place_purchase_order(onhand, order.reference)
        services.receiving.receive_purchase_order(onhand, order.reference, lines=[ReceiptLine(1, 10)])
    moved = api_admin.post("/api/v1/relocations", json={
        "source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": 4}]}).json()
    values = api_admin.get(f"/api/v1/postings/{moved['id']}/values").json()
    assert [(m["role"], m["value"]) for m in values["moves"]] == [("transfer", "22")]
    report = api_admin.get("/api/v1/valuation", params={"group_by": "location"}).json()
    assert [(ln["location"], ln["quantity"], ln["value"]) for ln in report["lines"]] == [
        ("LA", "4", "22"), ("NY", "16", "88"),
    ]
    assert report["total_value"] == "110"
    fixed = api_admin.put("/api/v1/costing/items/TEA-1", json={"method": None})
    assert fixed.status_code == 409
    assert api_admin.get("/api/v1/valuation", params={"group_by": "bin"}).status_code == 422
