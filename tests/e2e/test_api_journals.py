"""Accounting settings, daily journals, their exports and the reconciliation over HTTP."""

from __future__ import annotations

import json

import httpx

from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine

DAY = "2026-03-02"


def _textbook(onhand: Onhand) -> None:
    services.items.create_item(onhand, CreateItem(sku="W", name="Widget"))
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
    for cost in ("5.00", "6.00"):
        order = services.purchase_orders.create_purchase_order(
            onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("W", 10, cost)]))
        services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
        services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1,
            10)]))
    sale = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("W", 15, unit_price="10.00")]),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(sale.reference))
    services.shipping.ship_order(onhand, ShipOrder(sale.reference))


def test_accounting_settings_are_read_by_anyone_and_changed_by_an_admin(api_admin: httpx.Client,
                                                                        api_viewer: httpx.Client) -> None:
    settings = api_viewer.get("/api/v1/accounting/settings").json()
    assert settings["accounts"]["inventory"] == "630" and settings["lock_date"] is None
    body = {"accounts": {"cogs": "500"}, "categories": {"coffee": {"revenue": "205"}}, "track_locations": True}
    assert api_viewer.put("/api/v1/accounting/settings", json=body).status_code == 403
    changed = api_admin.put("/api/v1/accounting/settings", json=body).json()
    assert (changed["accounts"]["cogs"], changed["categories"], changed["track_locations"]) == (
        "500", {"coffee": {"revenue": "205"}}, True)
    refused = api_admin.put("/api/v1/accounting/settings", json={"accounts": {"stock": "1"}})
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "accounts.stock")
    item = api_admin.post("/api/v1/items", json={"sku": "BEAN", "name": "Beans", "category": "coffee"}).json()
    assert item["category"] == "coffee"
    assert api_admin.patch("/api/v1/items/BEAN", json={"category": ""}).json()["category"] is None


def test_a_day_is_shown_posted_exported_and_reconciled(onhand: Onhand, clock, api_admin: httpx.Client,
                                                       api_viewer: httpx.Client) -> None:
    _textbook(onhand)
    day = api_viewer.get(f"/api/v1/journals/{DAY}").json()
    assert (day["status"], day["debits"], day["credits"]) == ("open", "260.00", "260.00")
    assert [(ln["account"], ln["debit"], ln["credit"]) for ln in day["lines"]] == [
        ("200", "0", "150.00"), ("310", "80.00", "0"), ("630", "30.00", "0"), ("850", "0", "110.00"),
        ("850", "150.00", "0"),
    ]
    early = api_admin.post(f"/api/v1/journals/{DAY}/post")
    assert (early.status_code, early.json()["error"]["field"]) == (422, "day")
    clock.advance(days=1)
    assert api_viewer.post(f"/api/v1/journals/{DAY}/post").status_code == 403
    posted = api_admin.post(f"/api/v1/journals/{DAY}/post", params={"lock": "true"}).json()
    assert posted["status"] == "posted" and posted["posted_at"]
    assert api_viewer.get("/api/v1/accounting/settings").json()["lock_date"] == DAY
    listed = api_viewer.get("/api/v1/journals", params={"from": "2026-03-01", "to": "2026-03-03"}).json()
    assert [(j["date"], j["status"]) for j in listed["journals"]] == [(DAY, "posted")]

    xero = api_viewer.get(f"/api/v1/journals/{DAY}/export", params={"format": "xero-json"})
    assert xero.headers["content-type"].startswith("application/json")
    assert "onhand-journal-20260302.json" in xero.headers["content-disposition"]
    (manual,) = json.loads(xero.content)["ManualJournals"]
    assert manual["Status"] == "POSTED" and sum(ln["LineAmount"] for ln in manual["JournalLines"]) == 0
    qbo = json.loads(api_viewer.get(f"/api/v1/journals/{DAY}/export", params={"format": "qbo-json"}).content)
    assert qbo["DocNumber"] == "ONHAND-20260302" and len(qbo["Line"]) == 5
    csv = api_viewer.get(f"/api/v1/journals/{DAY}/export", params={"format": "xero-csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("*Narration,*Date")
    again = api_viewer.get(f"/api/v1/journals/{DAY}/export", params={"format": "xero-csv"})
    assert again.content == csv.content
    bad = api_viewer.get(f"/api/v1/journals/{DAY}/export", params={"format": "pdf"})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "format")

    report = api_viewer.get("/api/v1/journals/reconciliation", params={"from": DAY}).json()
    assert report["reconciled"] is True
    assert [(d["date"], d["valuation_total"], d["journal_balance"], d["difference"]) for d in report["days"]] == [
        (DAY, "30", "30.00", "0")]
    assert api_viewer.get("/api/v1/journals/2026-02-30").json()["error"]["field"] == "day"


def test_the_chart_of_accounts_is_loaded_by_an_admin_and_checked_by_anyone(api_admin: httpx.Client,
                                                                            api_viewer: httpx.Client) -> None:
    assert api_viewer.get("/api/v1/accounting/chart").json()["target"] is None
    chart = "*Code,*Name,*Type,*Tax Code\r\n200,Sales,Revenue,Tax Exempt\r\n610,Accounts Receivable,Current Asset," \
            "Tax Exempt\r\n630,Inventory,Inventory,Tax Exempt\r\n"
    refused = api_viewer.put("/api/v1/accounting/chart", content=chart, headers={"Content-Type": "text/csv"})
    assert refused.status_code == 403
    loaded = api_admin.put("/api/v1/accounting/chart", content=chart, headers={"Content-Type": "text/csv"})
    assert loaded.status_code == 200, loaded.text
    body = loaded.json()
    assert (body["target"], body["accounts"], body["ready"]) == ("xero", 3, False)
    assert {"setting": "accounts.cogs", "code": "310"} in [
        {k: p[k] for k in ("setting", "code")} for p in body["problems"]]
    assert api_viewer.get("/api/v1/accounting/chart").json() == body
    bad = api_admin.put("/api/v1/accounting/chart", params={"target": "sage"}, content=chart,
                        headers={"Content-Type": "text/csv"})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "target")
    region = api_admin.put("/api/v1/accounting/settings", json={"region": "AU"}).json()
    assert (region["region"], region["tax_rate"], region["date_format"]) == ("AU", "BAS Excluded", "dd/mm/yyyy")
