"""Picking and packing in the web app, through a real server: the pick list in walking
order, picks by GS1 scan or typed SKU/lot, the service's specific refusals, pack, ship."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import SetLocationRouting, SetLotStatus
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.helpers import add_item, add_place, adjust, allocated

HONEY_GTIN = "09506000134352"
HX = {"HX-Request": "true"}


@pytest.fixture
def promised(onhand):
    """Order for 3 honey (lot-tracked) and 2 W, reserved in NY's bins B-2 (walked first) and A-1."""
    add_item(onhand, "HONEY", tracking="lot", gtin=HONEY_GTIN)
    add_item(onhand, "W")
    add_item(onhand, "X")
    add_place(onhand, "NY")
    for code, walk in (("NY-A-1", 2), ("NY-B-2", 1)):
        add_place(onhand, code, kind="bin", parent="NY")
        services.locations.set_location_routing(onhand, SetLocationRouting(code, walk_order=walk))
    adjust(onhand, "NY-A-1", "HONEY", 4, lot="H-1", expiry_date="2030-09-30")
    adjust(onhand, "NY-A-1", "HONEY", 4, lot="H-Q", expiry_date="2031-01-31")
    services.lots.set_lot_status(onhand, SetLotStatus(sku="HONEY", code="H-Q", status="quarantined"))
    adjust(onhand, "NY-B-2", "W", 5)
    adjust(onhand, "NY-B-2", "X", 5)
    return allocated(onhand, ("HONEY", 3), ("W", 2)).reference


def picked(onhand, reference: str) -> list[Decimal]:
    return [line.picked for line in services.sales_orders.get_order(onhand, reference).lines]


def post(client, path: str, **data):
    page = client.get(path.rsplit("/", 1)[0])
    return client.post(path, data={**data, "csrf_token": csrf_token(page)}, headers=HX)


def test_the_pick_list_is_in_walking_order_and_orders_to_pick_are_listed(onhand, web_clients, promised):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    assert promised in client.get("/picking").text
    page = client.get(f"/picking/{promised}").text
    assert page.index("<td>NY-B-2</td>") < page.index("<td>NY-A-1</td>")
    assert "Next: <strong>2 × W</strong> at <strong>NY-B-2</strong>" in page


def test_an_operator_picks_by_gs1_scan_and_by_typed_sku_then_packs_and_ships(onhand, web_clients, promised):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    path = f"/picking/{promised}/pick"
    answer = post(client, path, scan="W", quantity="2", location="NY-B-2")
    assert answer.status_code == 200 and 'id="pick-ok"' in answer.text and "<html" not in answer.text
    answer = post(client, path, scan=f"(01){HONEY_GTIN}(17)300930(10)H-1(30)3", location="NY-A-1")
    assert answer.status_code == 200, answer.text
    assert picked(onhand, promised) == [3, 2]
    assert "Nothing left to pick" in answer.text

    answer = post(client, f"/picking/{promised}/pack", line=["1", "2"], quantity=["3", "2"], carrier="UPS",
                  tracking_number="1Z999AA10123456784")
    assert answer.status_code == 200 and "tracking 1Z999AA10123456784" in answer.text
    answer = post(client, f"/picking/{promised}/ship")
    assert answer.status_code == 200 and "the order is shipped" in answer.text
    order = services.sales_orders.get_order(onhand, promised)
    assert order.status == "shipped" and order.packages[0].shipment_id is not None
    [entry] = services.audit.list_audit(onhand, action="confirm_pick", limit=1).entries
    assert entry.actor.reference == "user:operator@example.com"


@pytest.mark.parametrize(("scan", "quantity", "location", "says"), [
    ("X", "1", "NY-B-2", "only 0 is left to pick there"),  # wrong item
    (f"(01){HONEY_GTIN}(10)H-Q", "1", "NY-A-1", "lot H-Q is quarantined; it cannot be picked"),  # wrong lot
    ("HONEY/H-NONE", "1", "NY-A-1", "H-NONE"),  # a lot that does not exist
    ("W", "3", "NY-B-2", "3 of W picked at NY-B-2, but only 2 is left"),  # over-pick
    ("HONEY", "1", "NY-A-1", "lot-tracked: scan the lot picked"),
    ("(01)09506000134353(10)H-1", "", "NY-A-1", "check digit"),
])
def test_a_bad_pick_is_refused_at_once_with_its_reason_and_picks_nothing(onhand, web_clients, promised, scan,
                                                                          quantity, location, says):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    answer = post(client, f"/picking/{promised}/pick", scan=scan, quantity=quantity, location=location)
    assert answer.status_code == 422 and says in answer.text and 'role="alert"' in answer.text
    assert picked(onhand, promised) == [0, 0]


def test_over_packing_is_refused(onhand, web_clients, promised):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    post(client, f"/picking/{promised}/pick", scan="W", quantity="1", location="NY-B-2")
    answer = post(client, f"/picking/{promised}/pack", line=["2"], quantity=["2"])
    assert answer.status_code == 422 and "line 2 has 1 picked" in answer.text
    assert services.sales_orders.get_order(onhand, promised).packages == ()


@pytest.mark.parametrize("action", ["pick", "pack", "ship"])
def test_a_viewer_may_not_pick_pack_or_ship(onhand, web_clients, promised, action):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    answer = post(client, f"/picking/{promised}/{action}", scan="W", quantity="1", location="NY-B-2",
                  line=["2"], carrier="UPS")
    assert answer.status_code == 403 and "You may not do this" in answer.text
    order = services.sales_orders.get_order(onhand, promised)
    assert [line.picked for line in order.lines] == [0, 0] and order.status == "allocated"


@pytest.mark.parametrize("action", ["pick", "pack", "ship"])
def test_a_user_limited_to_another_site_may_not_pick_pack_or_ship_here(onhand, web_clients, promised, action):
    add_place(onhand, "LA", kind="store")
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    post(operator, f"/picking/{promised}/pick", scan="W", quantity="1", location="NY-B-2")
    client = web_clients.signed_in(add_user(onhand, "manager", locations=["LA"]))
    answer = post(client, f"/picking/{promised}/{action}", scan="W", quantity="1", location="NY-B-2",
                  line=["2"])
    assert answer.status_code == 403 and "may act only at LA" in answer.text
    order = services.sales_orders.get_order(onhand, promised)
    assert [line.picked for line in order.lines] == [0, 1] and order.packages == () and order.status == "allocated"


def test_a_pick_without_the_csrf_token_is_refused(onhand, web_clients, promised):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    answer = client.post(f"/picking/{promised}/pick", data={"scan": "W", "quantity": "1", "location": "NY-B-2"})
    assert answer.status_code == 403
    assert picked(onhand, promised) == [0, 0]
