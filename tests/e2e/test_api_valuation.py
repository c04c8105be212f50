"""Costing methods, the valuation report and a posting's move values over HTTP."""

from __future__ import annotations

import httpx

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.ledger.postings import StockLine
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine


def test_the_costing_method_is_chosen_by_an_admin(api_admin: httpx.Client, api_viewer: httpx.Client) -> None:
    assert api_viewer.get("/api/v1/costing").json() == {"method": "fifo"}
    assert api_viewer.put("/api/v1/costing", json={"method": "moving_average"}).status_code == 403
    response = api_admin.put("/api/v1/costing", json={"method": "moving_average"})
    assert (response.status_code, response.json()) == (200, {"method": "moving_average"})
    refused = api_admin.put("/api/v1/costing", json={"method": "specific_lot"})  # an item's only
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "costing_method")


def test_an_item_overrides_the_method_and_the_report_and_values_are_read(onhand: Onhand,
                                                                          api_admin: httpx.Client) -> None:
    services.items.create_item(onhand, CreateItem(sku="TEA-1", name="Green tea", unit="each"))
    response = api_admin.put("/api/v1/costing/items/TEA-1", json={"method": "moving_average"})
    assert response.json() == {"sku": "TEA-1", "method": "moving_average", "own_method": "moving_average"}
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="LA", name="Los Angeles", kind="store"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    for cost in ("5.00", "6.00"):
        order = services.purchase_orders.create_purchase_order(
            onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("TEA-1", 10, cost)]))
        services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
        services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1,
            10)]))
    moved = api_admin.post("/api/v1/relocations", json={
        "source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": 4}]}).json()
    values = api_admin.get(f"/api/v1/postings/{moved['id']}/values").json()
    assert [(m["role"], m["value"]) for m in values["moves"]] == [("transfer", "22")]
    report = api_admin.get("/api/v1/valuation", params={"group_by": "location"}).json()
    assert [(ln["location"], ln["quantity"], ln["value"]) for ln in report["lines"]] == [
        ("LA", "4", "22"), ("NY", "16", "88"),
    ]
    assert report["total_value"] == "110"
    changed = api_admin.put("/api/v1/costing/items/TEA-1", json={"method": None})  # with history: from now on
    assert changed.json() == {"sku": "TEA-1", "method": "fifo", "own_method": None}
    assert api_admin.get("/api/v1/valuation").json()["total_value"] == "110"
    assert api_admin.get("/api/v1/valuation", params={"group_by": "bin"}).status_code == 422


def _textbook_with_a_late_receipt(onhand: Onhand) -> str:
    """TEA: received 10 @ 6.00 and 8 shipped (48.00); an order of 10 @ 5.00 placed, not yet received."""
    services.items.create_item(onhand, CreateItem(sku="TEA", name="Tea", unit="each"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    late = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("TEA", 10, "5.00")]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(late.reference))
    order = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("TEA", 10, "6.00")]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
    services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1, 10)]))
    services.adjustments.post_adjustment(onhand, PostAdjustment(
        location="NY", lines=[StockLine("TEA", -8)], reason="lost"))
    return late.reference


def test_a_backdated_receipt_re_values_later_moves_and_the_report_is_read_at_a_past_moment(
    onhand: Onhand, api_admin: httpx.Client
) -> None:
    late = _textbook_with_a_late_receipt(onhand)  # all at 2026-03-02 09:00 UTC (the test clock)
    received = api_admin.post(f"/api/v1/purchase-orders/{late}/receipts", json={
        "lines": [{"line_no": 1, "quantity": 10}], "effective_at": "2026-03-01T12:00:00Z"})
    assert received.status_code == 201, received.text
    now = api_admin.get("/api/v1/valuation", params={"aging": 1}).json()
    assert (now["total_quantity"], now["total_value"]) == ("12", "70")  # the loss took 8 @ 5.00 instead
    assert [(b["bucket"], b["quantity"]) for b in now["aging"]] == [
        ("0-30", "12"), ("31-60", "0"), ("61-90", "0"), ("91-180", "0"), ("181+", "0")]
    before = api_admin.get("/api/v1/valuation", params={"at": "2026-03-01T18:00:00Z"}).json()
    assert (before["total_quantity"], before["total_value"], before["aging"]) == ("10", "50", None)
    refused = api_admin.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "TEA", "quantity": 1}], "effective_at": "2027-01-01"})
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "effective_at")
    future = api_admin.get("/api/v1/valuation", params={"at": "2027-01-01"})
    assert (future.status_code, future.json()["error"]["field"]) == (422, "at")
    found = api_admin.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "TEA", "quantity": 1}],
        "effective_at": "2026-03-01T13:00:00Z"})
    assert found.json()["effective_at"].startswith("2026-03-01T13:00:00")
