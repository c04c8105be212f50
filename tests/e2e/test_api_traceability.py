"""The recall scenario over HTTP: report (JSON and CSV), backward trace, recall and release."""

from __future__ import annotations

import csv
import io

from onhand import services
from tests.integration.traceability.scenario import build_scenario

B123 = {"sku": "SERUM", "lot": "B123"}


def test_the_recall_report_names_who_received_the_batch_and_where_the_rest_is(api_admin, onhand):
    build_scenario(onhand)

    got = api_admin.get("/api/v1/recall-report", params=B123)

    assert got.status_code == 200, got.text
    body = got.json()
    assert {(c["customer"], c["total"]) for c in body["customers"]} == {
        ("Alice Smith", "10"), ("Bob Jones", "5"), ("Carol White", "2")}
    assert {(s["sku"], s["location"], s["on_hand"]) for s in body["trace"]["stock"]} == {
        ("SERUM", "WH", "25"), ("SERUM", "STORE", "40"), ("GIFTBOX", "WH", "9")}
    assert api_admin.get("/api/v1/recall-report", params={"supplier_lot": "ACME-7781"}).json() == body


def test_the_recall_report_as_csv_has_a_row_per_customer_and_per_place(api_admin, onhand):
    build_scenario(onhand)

    got = api_admin.get("/api/v1/recall-report", params={**B123, "format": "csv"})

    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert sorted((r["customer"], r["of_recalled_lot"]) for r in rows if r["section"] == "customer") == [
        ("Alice Smith", "10"), ("Bob Jones", "5"), ("Carol White", "2")]
    assert sorted((r["sku"], r["location"], r["of_recalled_lot"]) for r in rows if r["section"] == "on_hand") == [
        ("GIFTBOX", "WH", "18"), ("SERUM", "STORE", "40"), ("SERUM", "WH", "25")]


def test_a_backward_trace_from_an_order_reaches_the_purchase_order(api_admin, onhand):
    made = build_scenario(onhand)

    got = api_admin.get("/api/v1/trace/backward", params={"order": made["carol"].reference})

    assert got.status_code == 200, got.text
    (receipt,) = got.json()["receipts"]
    assert (receipt["purchase_order"], receipt["supplier_lot"]) == (made["po"].reference, "ACME-7781")


def test_a_recall_over_http_stops_the_batch_and_a_release_undoes_it(api_admin, onhand):
    build_scenario(onhand)

    recalled = api_admin.post("/api/v1/recalls", json={"lots": [B123], "quarantine_location": "QUAR"},
                              headers={"Idempotency-Key": "recall-1"})
    again = api_admin.post("/api/v1/recalls", json={"lots": [B123], "quarantine_location": "QUAR"},
                           headers={"Idempotency-Key": "recall-1"})

    assert recalled.status_code == 201, recalled.text
    assert again.json() == recalled.json()
    reference = recalled.json()["reference"]
    assert {(lot["lot"], lot["status"]) for lot in recalled.json()["lots"]} == {
        ("B123", "recalled"), ("GB1", "recalled")}
    assert services.lots.get_lot(onhand, sku="GIFTBOX", code="GB1").status == "recalled"
    released = api_admin.post(f"/api/v1/recalls/{reference}/release")
    assert released.status_code == 200, released.text
    assert api_admin.post(f"/api/v1/recalls/{reference}/release").status_code == 409
    assert services.lots.get_lot(onhand, sku="SERUM", code="B123").status == "released"


def test_a_recall_needs_the_stock_permission(api_client_for, api_keys, onhand):
    build_scenario(onhand)
    viewer = api_client_for(api_keys.viewer)

    assert viewer.post("/api/v1/recalls", json={"lots": [B123]}).status_code == 403
    assert viewer.get("/api/v1/recall-report", params=B123).status_code == 200


def test_bad_input_is_a_422_naming_the_field(api_admin, onhand):
    build_scenario(onhand)

    unpaired = api_admin.get("/api/v1/recall-report", params={"sku": ["SERUM", "GIFTBOX"], "lot": "B123"})
    sellable = api_admin.post("/api/v1/recalls", json={"lots": [B123], "quarantine_location": "STORE"})
    unknown = api_admin.get("/api/v1/trace/backward", params={"sku": "SERUM", "lot": "NOPE"})

    assert unpaired.status_code == 422 and unpaired.json()["error"]["field"] == "lot"
    assert sellable.status_code == 422 and sellable.json()["error"]["field"] == "quarantine_location"
    assert unknown.status_code == 404


def test_customers_are_created_found_and_changed(api_admin, onhand):
    made = api_admin.post("/api/v1/customers", json={
        "name": "Alice Smith", "email": "Alice@Example.com",
        "addresses": [{"label": "home", "city": "Boston", "country": "us"}],
        "channel_ids": [{"channel": "shopify", "external_id": "77"}]})
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    assert made.json()["email"] == "alice@example.com"
    assert made.json()["addresses"][0]["country"] == "US"
    assert api_admin.get("/api/v1/customers", params={"name": "smi"}).json()["customers"][0]["code"] == code
    assert api_admin.get("/api/v1/customers/by-external-id/shopify/77").json()["code"] == code
    changed = api_admin.patch(f"/api/v1/customers/{code}", json={"phone": "+1 555 0100"})
    assert changed.json()["phone"] == "+1 555 0100"
    api_admin.post("/api/v1/items", json={"sku": "MUG", "name": "Mug"})
    order = api_admin.post("/api/v1/orders", json={
        "lines": [{"sku": "MUG", "quantity": 1}], "channel": "shopify", "customer_external_id": "77"})
    assert order.status_code == 201, order.text
    assert (order.json()["customer_code"], order.json()["customer"]) == (code, "Alice Smith")
    assert api_admin.get("/api/v1/customers/NOPE").status_code == 404


def test_lots_are_found_by_code_and_expiring_stock_listed(api_admin, onhand):
    build_scenario(onhand)

    found = api_admin.get("/api/v1/lots", params={"lot": "B123"})
    expiring = api_admin.get("/api/v1/reports/expiring", params={"days": 3650})
    history = api_admin.get("/api/v1/moves", params={"lot": "GB1"})

    assert [(f["sku"], f["supplier_lot"]) for f in found.json()["lots"]] == [("SERUM", "ACME-7781")]
    assert {(r["lot"], r["location"]) for r in expiring.json()["stock"]} >= {("B123", "WH"), ("B200", "WH")}
    assert {m["sku"] for m in history.json()["moves"]} == {"GIFTBOX"}
