"""Lot and location pages through a real server: tracing a lot (GS1 scan, SKU/LOT, a lot
code), the trace both ways, the recall report, the one-click recall with its confirmation
step (managers and admins only, CSRF), the audit trails, a location's stock and bins."""

from __future__ import annotations

import pytest

from onhand import services
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.traceability.scenario import build_scenario

B123 = "/lots/SERUM/B123"


@pytest.fixture
def scenario(onhand):
    return build_scenario(onhand)


def recall_form(page, **fields: str) -> dict[str, str]:
    return {"csrf_token": csrf_token(page), "sku": "SERUM", "lot": "B123", "status": "recalled", **fields}


def test_the_lot_page_traces_both_ways_and_reports_who_got_it(onhand, web_clients, scenario):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    page = client.get(B123)
    assert page.status_code == 200, page.text
    text = page.text
    # Backward: the purchase order and the supplier's batch; forward: customers, builds, stock.
    assert f'href="/purchase-orders/{scenario["po"].reference}"' in text and "their lot ACME-7781" in text
    assert 'href="/lots/GIFTBOX/GB1"' in text and f'href="/orders/{scenario["carol"].reference}"' in text
    for customer in ("Alice Smith", "Bob Jones", "Carol White"):
        assert customer in text
    assert 'id="recall-form"' not in text and "audit-heading" not in text  # a viewer reads only
    built = client.get("/lots/GIFTBOX/GB1").text  # and back down from the product to the batch
    assert 'href="/lots/SERUM/B123"' in built


@pytest.mark.parametrize(("typed", "lands"), [("SERUM/B123", B123), ("B123", B123), ("GB1", "/lots/GIFTBOX/GB1")])
def test_tracing_a_lot_by_typing_its_name_opens_its_page(onhand, web_clients, scenario, typed, lands):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = client.get("/lots", params={"code": typed})
    assert answer.status_code == 303 and answer.headers["location"] == lands


def test_tracing_a_lot_by_its_gs1_code_opens_its_page(onhand, web_clients):
    services.demo.load_demo_data(onhand)
    gtin = services.items.get_item(onhand, "HONEY-350G").gtin.zfill(14)
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = client.get("/lots", params={"code": f"01{gtin}10HN-101"})
    assert answer.status_code == 303 and answer.headers["location"] == "/lots/HONEY-350G/HN-101"
    no_lot = client.get("/lots", params={"code": f"01{gtin}"})
    assert no_lot.status_code == 422 and "names no lot" in no_lot.text


@pytest.mark.parametrize("typed", ["NOPE/B123", "NOPE", "01" + "9" * 14 + "10X"])
def test_an_unknown_lot_is_said_so(onhand, web_clients, scenario, typed):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = client.get("/lots", params={"code": typed})
    assert answer.status_code in (200, 404, 422) and "trace-form" in answer.text
    assert ("No lot" in answer.text) or ('role="alert"' in answer.text)


def test_a_manager_recalls_a_lot_after_confirming_and_it_stops_what_was_built_from_it(onhand, web_clients, scenario):
    client = web_clients.signed_in(add_user(onhand, "manager"))
    page = client.get(B123)
    assert 'id="recall-form"' in page.text and "<option>QUAR</option>" in page.text
    asked = client.post("/lots/recall", data=recall_form(page, quarantine_location="QUAR", note="Customer report"))
    assert asked.status_code == 200 and "Yes, recall now" in asked.text and "GIFTBOX/GB1" in asked.text
    assert services.lots.get_lot(onhand, sku="SERUM", code="B123").status.value == "released"  # not yet

    done = client.post("/lots/recall", data=recall_form(asked, quarantine_location="QUAR", note="Customer report",
                                                        confirm="yes"))
    assert done.status_code == 200 and 'id="lot-ok"' in done.text, done.text
    assert "2 lots recalled, stock on hand moved to QUAR" in done.text
    assert services.lots.get_lot(onhand, sku="GIFTBOX", code="GB1").status.value == "recalled"
    [recall] = services.recalls.list_recalls(onhand)
    assert recall.quarantine_location == "QUAR"
    [entry] = services.audit.list_audit(onhand, action="recall_lots").entries
    assert entry.actor.reference == "user:manager@example.com"
    # A recalled lot offers no second recall; the recall is listed on the search page.
    assert 'id="recall-form"' not in client.get(B123).text
    assert recall.reference in client.get("/lots").text


def test_a_manager_releases_a_recall_and_the_lots_and_stock_come_back(onhand, web_clients, scenario):
    client = web_clients.signed_in(add_user(onhand, "manager"))
    page = client.get(B123)
    client.post("/lots/recall", data=recall_form(page, quarantine_location="QUAR", confirm="yes"))
    [recall] = services.recalls.list_recalls(onhand)
    listed = client.get("/lots")
    assert f'aria-label="Release recall {recall.reference}"' in listed.text
    done = client.post("/lots/recalls/release", data={"csrf_token": csrf_token(listed), "reference": recall.reference})
    assert done.status_code == 200 and f"Released recall {recall.reference}" in done.text
    assert services.lots.get_lot(onhand, sku="GIFTBOX", code="GB1").status.value == "released"
    assert f'aria-label="Release recall {recall.reference}"' not in done.text
    again = client.post("/lots/recalls/release", data={"csrf_token": csrf_token(done), "reference": recall.reference})
    assert again.status_code == 422 and 'role="alert"' in again.text
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    assert operator.post("/lots/recalls/release", data={"csrf_token": csrf_token(operator.get("/lots")),
                                                       "reference": recall.reference}).status_code == 403


def test_an_operator_may_not_recall_and_a_post_without_csrf_is_refused(onhand, web_clients, scenario):
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    page = operator.get(B123)
    assert 'id="recall-form"' not in page.text
    refused = operator.post("/lots/recall", data=recall_form(page, confirm="yes"))
    assert refused.status_code == 403
    admin = web_clients.signed_in(add_user(onhand, "admin"))
    forged = admin.post("/lots/recall", data={"sku": "SERUM", "lot": "B123", "confirm": "yes"})
    assert forged.status_code == 403
    assert services.recalls.list_recalls(onhand) == []


def test_a_manager_limited_to_some_sites_may_not_recall(onhand, web_clients, scenario):
    client = web_clients.signed_in(add_user(onhand, "manager", locations=("WH",)))
    page = client.get(B123)
    assert 'id="recall-form"' not in page.text
    refused = client.post("/lots/recall", data=recall_form(page, confirm="yes"))
    assert refused.status_code == 403 and "reaches every site" in refused.text
    assert services.recalls.list_recalls(onhand) == []


def test_a_refused_recall_says_why_and_changes_nothing(onhand, web_clients, scenario):
    client = web_clients.signed_in(add_user(onhand, "admin"))
    page = client.get(B123)
    answer = client.post("/lots/recall", data=recall_form(page, quarantine_location="STORE", confirm="yes"))
    assert answer.status_code == 422 and "is sellable" in answer.text
    too_long = client.post("/lots/recall", data=recall_form(page, note="x" * 2001, confirm="yes"))
    assert too_long.status_code == 422
    assert services.recalls.list_recalls(onhand) == []


def test_the_lot_and_location_pages_show_their_audit_trail_to_a_manager(onhand, web_clients):
    services.demo.load_demo_data(onhand)
    client = web_clients.signed_in(add_user(onhand, "manager"))
    lot = client.get("/lots/HONEY-350G/HN-102").text
    assert "Changes to this lot" in lot and "set lot status" in lot and 'id="lot-status">quarantined' in lot
    place = client.get("/locations/NY")
    assert place.status_code == 200
    assert "Changes to this location" in place.text and "create location" in place.text
    assert 'href="/locations/NY-B-01"' in place.text and 'href="/lots/HONEY-350G/HN-101"' in place.text
    assert client.get("/locations/NOWHERE").status_code == 404
