"""Foreign-currency orders and refunds of returns over HTTP: the order's exchange rate,
a return's refund price, and what the day's journal books for them."""

from __future__ import annotations

import httpx

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine

DAY = "2026-03-02"


def _stocked(onhand: Onhand) -> None:
    services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(currency="NZD"))
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.adjustments.post_adjustment(onhand, PostAdjustment(
        location="NY", lines=[StockLine("W", 10, unit_cost="4")],
                                         reason="found"))


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_an_order_in_usd_at_a_rate_is_journaled_in_nzd_and_its_return_refunded(
        onhand: Onhand, api_operator: httpx.Client, api_viewer: httpx.Client) -> None:
    _stocked(onhand)
    body = {"currency": "USD", "lines": [{"sku": "W", "quantity": 5, "unit_price": "19.99"}]}
    for rate in (None, "0", "-1.25"):
        refused = api_operator.post("/api/v1/orders", json={**body, "exchange_rate": rate})
        assert (refused.status_code, refused.json()["error"]["field"]) == (422, "exchange_rate")
    assert _ok(api_viewer.get("/api/v1/orders"))["orders"] == []
    order = _ok(api_operator.post("/api/v1/orders", json={**body, "exchange_rate": "1.2"}), 201)
    ref = order["reference"]
    assert (order["currency"], order["exchange_rate"]) == ("USD", "1.2")
    assert _ok(api_operator.patch(f"/api/v1/orders/{ref}", json={"exchange_rate": "1.25"}))["exchange_rate"] == "1.25"
    _ok(api_operator.post(f"/api/v1/orders/{ref}/allocate"))
    _ok(api_operator.post(f"/api/v1/orders/{ref}/shipments"), 201)
    late = api_operator.patch(f"/api/v1/orders/{ref}", json={"exchange_rate": "1.3"})
    assert late.status_code == 409

    bad = api_operator.post(f"/api/v1/orders/{ref}/returns", json={
        "location": "NY", "lines": [{"line_no": 1, "quantity": 1, "refund_unit_price": "-1"}]})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "lines[0].refund_unit_price")
    order = _ok(api_operator.post(f"/api/v1/orders/{ref}/returns", json={
        "location": "NY", "lines": [{"line_no": 1, "quantity": 2}]}), 201)
    order = _ok(api_operator.post(f"/api/v1/orders/{ref}/returns", json={
        "location": "NY", "lines": [{"line_no": 1, "quantity": 1, "refund_unit_price": "15.00"}]}), 201)
    assert [ln["refund_unit_price"] for r in order["returns"] for ln in r["lines"]] == [None, "15"]

    day = _ok(api_viewer.get(f"/api/v1/journals/{DAY}"))
    assert day["debits"] == day["credits"]
    # revenue 5 × 19.99 × 1.25 = 124.9375; refunds 2 × 19.99 × 1.25 + 15 × 1.25 = 68.725
    assert [(ln["account"], ln["role"], ln["debit"], ln["credit"]) for ln in day["lines"]
            if ln["role"] in ("revenue", "sales_returns", "sales_clearing")] == [
        ("200", "revenue", "0", "124.94"), ("200", "sales_returns", "68.72", "0"),
        ("850", "sales_clearing", "56.21", "0"),
    ]
    for fmt in ("xero-json", "xero-csv", "qbo-json", "csv"):
        assert api_viewer.get(f"/api/v1/journals/{DAY}/export", params={"format": fmt}).status_code == 200
