"""Pick waves through a real server: the waiting orders, a wave allocated in one go with its
pick list (every order's picks per site in walking order), the pick list by link, refusals
(a viewer, no CSRF token, no orders, an unknown order)."""

from __future__ import annotations

import pytest

from onhand import services
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.helpers import add_item, add_place, adjust, order


@pytest.fixture
def waiting(onhand):
    """Two open orders for W; NY-A-1 holds 3 of it: the second order is left short."""
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A-1", kind="bin", parent="NY")
    adjust(onhand, "NY-A-1", "W", 3)
    return [order(onhand, ("W", 2), customer="Ana").reference, order(onhand, ("W", 2), customer="Bo").reference]


def test_an_operator_allocates_a_wave_and_gets_its_pick_list(onhand, web_clients, waiting):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    page = client.get("/waves")
    assert page.status_code == 200 and all(f'value="{r}" checked' in page.text for r in waiting)
    done = client.post("/waves", data={"csrf_token": csrf_token(page), "orders": waiting})
    assert done.status_code == 200 and "Wave allocated: 2 orders to pick" in done.text, done.text
    statuses = [services.sales_orders.get_order(onhand, r).status for r in waiting]
    assert statuses == ["allocated", "backordered"]
    first, second = waiting
    assert (f'<td>NY-A-1</td><td>W</td><td></td><td class="num">2</td><td><a href="/picking/{first}">' in done.text
            and f'<td class="num">1</td><td><a href="/picking/{second}">' in done.text)
    again = client.get("/waves", params={"order": waiting})
    assert again.status_code == 200 and f'<a href="/picking/{second}">' in again.text
    entries = services.audit.list_audit(onhand, action="allocate_wave").entries
    assert sorted(e.object.key for e in entries) == sorted(waiting)  # one entry per order of the wave
    assert {e.actor.reference for e in entries} == {"user:operator@example.com"}


def test_a_viewer_sees_the_waiting_orders_but_may_not_allocate(onhand, web_clients, waiting):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    page = client.get("/waves")
    assert page.status_code == 200 and 'id="wave-form"' not in page.text and waiting[0] in page.text
    assert client.post("/waves", data={"csrf_token": csrf_token(page), "orders": waiting}).status_code == 403
    assert services.sales_orders.get_order(onhand, waiting[0]).status == "open"


def test_a_wave_without_orders_a_token_or_known_orders_is_refused(onhand, web_clients, waiting):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    token = csrf_token(client.get("/waves"))
    assert client.post("/waves", data={"orders": waiting}).status_code == 403
    empty = client.post("/waves", data={"csrf_token": token})
    assert empty.status_code == 422 and "at least one order" in empty.text
    unknown = client.get("/waves", params={"order": "SO-NOPE"})
    assert unknown.status_code == 422 and 'role="alert"' in unknown.text
    assert services.sales_orders.get_order(onhand, waiting[0]).status == "open"
