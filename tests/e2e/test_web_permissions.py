"""What each role may do in the web app, and a user limited to some locations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateLocation, UpdateItem
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.purchasing_helpers import GTIN_TEA, placed, purchasing_setup

SCAN = f"01{GTIN_TEA}17301231" + "10T-1"
PAGES = ("/", "/items", "/items/TEA", "/receiving")


def received(onhand, reference: str) -> Decimal:
    return services.purchase_orders.get_purchase_order(onhand, reference).lines[0].received


@pytest.fixture
def order(onhand):
    purchasing_setup(onhand)
    return placed(onhand, ("TEA", "10", "2.00")).reference


@pytest.mark.parametrize(("role", "may_receive"),
                         [("admin", True), ("manager", True), ("operator", True), ("viewer", False)])
def test_every_role_reads_the_pages_and_only_receivers_receive(onhand, web_clients, order, role, may_receive):
    client = web_clients.signed_in(add_user(onhand, role))
    for path in (*PAGES, f"/receiving/{order}"):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/receiving/{order}")
    answer = client.post(f"/receiving/{order}", data={"barcode": SCAN, "quantity": "4", "location": "NY-A1",
                                                      "csrf_token": csrf_token(page)})
    assert answer.status_code == (200 if may_receive else 403)
    assert received(onhand, order) == (Decimal(4) if may_receive else 0)
    if may_receive:
        [entry] = services.audit.list_audit(onhand, action="receive_purchase_order").entries
        assert entry.actor.reference == f"user:{role}@example.com"


def test_a_user_limited_to_other_locations_may_not_receive_here(onhand, web_clients, order):
    services.locations.create_location(onhand, CreateLocation(code="LA", name="Los Angeles", kind="store"))
    client = web_clients.signed_in(add_user(onhand, "operator", locations=["LA"]))
    page = client.get(f"/receiving/{order}")
    answer = client.post(f"/receiving/{order}", data={"barcode": SCAN, "csrf_token": csrf_token(page)})
    assert answer.status_code == 403 and "may act only at LA" in answer.text
    assert received(onhand, order) == 0


@pytest.mark.parametrize(("barcode", "quantity", "says"), [
    (f"01{GTIN_TEA}17200101" + "10T-OLD", "1", "expired on 2020-01-01"),
    (SCAN, "11", "over the 10 ordered"),
    ("0100614141999996", "1", "unknown item"),
])
def test_a_bad_scan_is_answered_at_once_with_its_reason_and_receives_nothing(onhand, web_clients, order, barcode,
                                                                              quantity, says):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    page = client.get(f"/receiving/{order}")
    answer = client.post(f"/receiving/{order}", data={"barcode": barcode, "quantity": quantity,
                                                      "csrf_token": csrf_token(page)}, headers={"HX-Request": "true"})
    assert answer.status_code == 422 and says in answer.text and "<html" not in answer.text
    assert received(onhand, order) == 0


def test_a_scan_of_an_item_not_on_the_order_names_the_item(onhand, web_clients, order):
    services.items.update_item(onhand, UpdateItem("W", gtin="00614141000036"))
    client = web_clients.signed_in(add_user(onhand, "operator"))
    page = client.get(f"/receiving/{order}")
    answer = client.post(f"/receiving/{order}", data={"barcode": "0100614141000036", "csrf_token": csrf_token(page)})
    assert answer.status_code == 422 and "W is not on this purchase order" in answer.text
