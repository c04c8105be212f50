"""Over HTTP: found stock at a given unit cost, opening valuation, returns to supplier."""

from __future__ import annotations

import httpx
from sqlalchemy import delete

from onhand import services
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, move_values
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

API = "/api/v1"


def _shop(onhand: Onhand) -> None:
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))


def test_found_stock_comes_in_at_the_unit_cost_given_and_a_cost_on_a_loss_is_refused(
    onhand: Onhand, api_operator: httpx.Client
) -> None:
    _shop(onhand)
    found = api_operator.post(f"{API}/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "MUG", "quantity": 4, "unit_cost": "2.5"}]})
    assert found.status_code == 201, found.text
    values = api_operator.get(f"{API}/postings/{found.json()['id']}/values").json()
    assert [(m["value"], m["basis"]) for m in values["moves"]] == [("10", "unit_cost")]
    refused = api_operator.post(f"{API}/adjustments", json={
        "location": "NY", "reason": "lost",
        "lines": [{"sku": "MUG", "quantity": 1}, {"sku": "MUG", "quantity": -1, "unit_cost": "2.5"}]})
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "lines[1].unit_cost")
    counted = api_operator.post(f"{API}/counts", json={
        "location": "NY", "lines": [{"sku": "MUG", "quantity": 6, "unit_cost": "4"}]})
    assert counted.status_code == 201, counted.text
    assert api_operator.get(f"{API}/valuation").json()["total_value"] == "18"


def test_stock_that_predates_valuation_is_listed_and_valued_by_an_admin(
    onhand: Onhand, api_admin: httpx.Client, api_operator: httpx.Client
) -> None:
    _shop(onhand)
    services.adjustments.post_adjustment(onhand, PostAdjustment(
        location="NY", lines=[StockLine("MUG", 5)], reason="found"))
    with onhand.engine.begin() as conn:
        for table in (cost_layers, cost_pools, move_values):
            conn.execute(delete(table))
    report = api_operator.get(f"{API}/valuation").json()
    assert [(u["sku"], u["location"], u["unvalued"]) for u in report["unvalued"]] == [("MUG", "NY", "5")]
    listed = api_operator.get(f"{API}/valuation/unvalued").json()["unvalued"]
    assert [(u["on_hand"], u["valued"]) for u in listed] == [("5", "0")]
    body = {"lines": [{"sku": "MUG", "unit_cost": "1.25", "location": "NY"}], "reference": "go-live"}
    assert api_operator.post(f"{API}/valuation/opening", json=body).status_code == 403
    opened = api_admin.post(f"{API}/valuation/opening", json=body)
    assert opened.status_code == 201, opened.text
    assert [(ln["quantity"], ln["value"]) for ln in opened.json()["lines"]] == [("5", "6.25")]
    again = api_admin.post(f"{API}/valuation/opening", json=body)
    assert again.status_code == 409 and again.json()["error"]["message"].startswith("lines[0]: MUG at NY")
    after = api_operator.get(f"{API}/valuation").json()
    assert (after["total_value"], after["unvalued"]) == ("6.25", [])


def test_received_units_go_back_to_the_supplier_and_an_over_return_names_the_field(
    onhand: Onhand, api_operator: httpx.Client
) -> None:
    _shop(onhand)
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    order = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("MUG", 6, "3.00")]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
    services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1, 6)]))
    url = f"{API}/purchase-orders/{order.reference}/returns"
    sent = api_operator.post(url, json={"lines": [{"line_no": 1, "quantity": 2}], "authorisation": "RMA-1"})
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert (body["reference"], body["value"], body["authorisation"]) == ("RTS-000001", "6", "RMA-1")
    assert [(ln["line_no"], ln["location"], ln["quantity"]) for ln in body["lines"]] == [(1, "NY", "2")]
    over = api_operator.post(url, json={"lines": [{"line_no": 1, "quantity": 5}]})
    assert (over.status_code, over.json()["error"]["field"]) == (422, "lines[0].quantity")
    shown = api_operator.get(f"{API}/purchase-orders/{order.reference}").json()
    assert ([ln["returned"] for ln in shown["lines"]], shown["returns"]) == (["2"], ["RTS-000001"])
    listed = api_operator.get(url).json()["returns"]
    assert [r["reference"] for r in listed] == ["RTS-000001"]
