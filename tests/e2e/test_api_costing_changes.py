"""Changing a costing method with history over HTTP: re-layered at its value, then valued under the new method."""

from __future__ import annotations

import httpx

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine


def _stock(onhand: Onhand) -> None:
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.items.create_item(onhand, CreateItem(sku="TEA", name="Tea", tracking="lot"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    for cost in ("5.00", "6.00"):
        order = services.purchase_orders.create_purchase_order(
            onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("MUG", 10, cost)]))
        services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
        services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1,
            10)]))


def test_the_company_method_changes_with_stock_on_hand_and_the_history_is_listed(
        onhand: Onhand, api_admin: httpx.Client, api_viewer: httpx.Client) -> None:
    _stock(onhand)
    before = api_viewer.get("/api/v1/valuation").json()["total_value"]
    changed = api_admin.put("/api/v1/costing", json={"method": "moving_average"})
    assert (changed.status_code, changed.json()) == (200, {"method": "moving_average"})
    assert api_viewer.get("/api/v1/valuation").json()["total_value"] == before == "110"
    lost = api_admin.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "lost", "lines": [{"sku": "MUG", "quantity": -15}]}).json()
    values = api_admin.get(f"/api/v1/postings/{lost['id']}/values").json()
    assert values["total_value"] == "82.5"  # 15 @ 5.50, the average the FIFO layers became
    refused = api_admin.put("/api/v1/costing/items/MUG", json={"method": "specific_lot"})
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "costing_method")
    item = api_admin.put("/api/v1/costing/items/TEA", json={"method": "specific_lot"})
    assert item.json() == {"sku": "TEA", "method": "specific_lot", "own_method": "specific_lot"}
    listed = api_viewer.get("/api/v1/costing/changes").json()["changes"]
    assert [(c["sku"], c["previous"], c["method"]) for c in listed] == [
        (None, "fifo", "moving_average"), ("TEA", None, "specific_lot")]
    assert [c["sku"] for c in api_viewer.get("/api/v1/costing/changes", params={"sku": "MUG"}).json()["changes"]
            ] == [None]


def test_lifo_is_offered_and_chosen_over_http_and_the_next_loss_takes_the_newest_layers(
        onhand: Onhand, api_admin: httpx.Client) -> None:
    _stock(onhand)
    schema = api_admin.get("/openapi.json").json()["components"]["schemas"]["CostingIn"]
    assert "lifo" in schema["properties"]["method"]["enum"]
    changed = api_admin.put("/api/v1/costing", json={"method": "lifo"})
    assert (changed.status_code, changed.json()) == (200, {"method": "lifo"})
    lost = api_admin.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "lost", "lines": [{"sku": "MUG", "quantity": -15}]}).json()
    values = api_admin.get(f"/api/v1/postings/{lost['id']}/values").json()
    assert values["total_value"] == "85"  # 10 @ 6.00 + 5 @ 5.00
