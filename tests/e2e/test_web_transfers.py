"""Transfers in the web app, through a real server: create, ship, receive short, write off
the rest; what is in transit; refusals, roles, location limits, CSRF."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.access.commands import AddUser
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.helpers import add_item, add_place, adjust, at


@pytest.fixture
def sites(onhand):
    """NY (bin NY-A1 with 10 W and 6 HONEY of lot H-1) and LA (bin LA-1), through TRUCK."""
    add_item(onhand, "W")
    add_item(onhand, "HONEY", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "LA-1", kind="bin", parent="LA")
    add_place(onhand, "TRUCK", kind="transit")
    adjust(onhand, "NY-A1", "W", 10)
    adjust(onhand, "NY-A1", "HONEY", 6, lot="H-1", expiry_date="2030-01-31")
    return onhand


def post(client, path: str, page: str, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client.get(page))})


def create(client, **fields):
    form = {"source": "NY", "destination": "LA", "transit": "TRUCK", "carrier": "DHL", "tracking_number": "JD01",
            "expected_date": "2030-03-10", "sku": ["W", "HONEY", ""], "quantity": ["8", "4", ""]} | fields
    return post(client, "/transfers", "/transfers", **form)


def test_create_ship_receive_short_and_write_off_the_rest(onhand, web_clients, sites):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    made = create(client)
    assert made.status_code == 303
    path = made.headers["location"]
    reference = path.rsplit("/", 1)[1]
    assert reference in client.get("/transfers").text  # a draft to ship

    shipped = post(client, f"{path}/ship", path, location="NY-A1")
    assert shipped.status_code == 200 and "Shipped: the transfer is in transit" in shipped.text
    assert at(onhand, "W", "NY-A1") == 2 and at(onhand, "W", "TRUCK") == 8
    listing = client.get("/transfers").text
    assert "8 × W, 4 × HONEY" in listing and "2030-03-10" in listing and "DHL JD01" in listing

    # 7 of the 8 W and all 4 honey arrive: one W stays in transit.
    received = post(client, f"{path}/receive", path, line_no=["1", "2"], lot=["", "H-1"], quantity=["7", "4"],
                    location="LA-1")
    assert received.status_code == 200 and "the transfer is partially received" in received.text
    assert at(onhand, "W", "LA-1") == 7 and at(onhand, "W", "TRUCK") == 1
    assert '<td class="num in-transit">1</td>' in received.text

    lost = post(client, f"{path}/write-off", path)
    assert lost.status_code == 200 and "Written off" in lost.text
    view = services.transfer_orders.get_transfer(onhand, reference)
    assert [(ln.received, ln.written_off, ln.in_transit) for ln in view.lines] == [
        (Decimal(7), Decimal(1), Decimal(0)), (Decimal(4), Decimal(0), Decimal(0))]
    assert at(onhand, "W", "TRUCK") == 0
    actors = {e.actor.reference for e in services.audit.list_audit(onhand, object_type="transfer").entries}
    assert actors == {"user:operator@example.com"}


def test_receiving_more_than_in_transit_is_refused_with_its_reason(onhand, web_clients, sites):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    path = create(client, sku=["W"], quantity=["8"]).headers["location"]
    post(client, f"{path}/ship", path)
    answer = post(client, f"{path}/receive", path, line_no=["1"], lot=[""], quantity=["9"])
    assert answer.status_code == 422 and "is more than the 8" in answer.text and 'role="alert"' in answer.text
    assert at(onhand, "W", "LA") == 0


@pytest.mark.parametrize(("fields", "says"), [
    ({"sku": ["NOPE"], "quantity": ["1"]}, "NOPE"),
    ({"sku": ["W"], "quantity": ["-1"]}, "quantity"),
    ({"destination": "NY"}, "destination"),
])
def test_a_bad_transfer_is_refused_and_nothing_is_made(onhand, web_clients, sites, fields, says):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    answer = create(client, **fields)
    assert answer.status_code == 422 and says in answer.text and 'role="alert"' in answer.text
    assert services.transfer_orders.list_transfers(onhand) == []


def test_shipping_more_than_is_free_is_refused(onhand, web_clients, sites):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    path = create(client, sku=["W"], quantity=["11"]).headers["location"]
    answer = post(client, f"{path}/ship", path)
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert at(onhand, "W", "NY-A1") == 10


def test_a_viewer_reads_but_may_not_create_or_ship_and_a_forged_post_is_refused(onhand, web_clients, sites):
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    path = create(operator, sku=["W"], quantity=["2"]).headers["location"]
    viewer = web_clients.signed_in(add_user(onhand, "viewer"))
    assert viewer.get(path).status_code == 200 and "Ship everything" not in viewer.get(path).text
    assert create(viewer).status_code == 403
    assert post(viewer, f"{path}/ship", path).status_code == 403
    assert operator.post(f"{path}/ship", data={}).status_code == 403  # no CSRF token
    assert at(onhand, "W", "NY-A1") == 10 and len(services.transfer_orders.list_transfers(onhand)) == 1


def test_a_user_limited_to_la_may_receive_there_but_not_ship_from_ny(onhand, web_clients, sites):
    operator = web_clients.signed_in(add_user(onhand, "operator"))
    path = create(operator, sku=["W"], quantity=["2"]).headers["location"]
    services.users.add_user(onhand, AddUser(email="la@example.com", name="LA", role="operator", locations=("LA",)),
                            password="a long enough password")
    la = web_clients.signed_in("la@example.com")
    assert create(la).status_code == 403
    assert post(la, f"{path}/ship", path).status_code == 403
    post(operator, f"{path}/ship", path)
    answer = post(la, f"{path}/receive", path, line_no=["1"], lot=[""], quantity=["2"])
    assert answer.status_code == 200 and at(onhand, "W", "LA") == 2
