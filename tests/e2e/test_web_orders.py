"""Sales order and purchase order pages through a real server: lists by status, allocation
per line and reservation, the routing decision, allocating from the page, the audit trail."""

from __future__ import annotations

import pytest

from onhand import services
from tests.e2e.web_client import add_user, csrf_token
from tests.integration.helpers import add_item, add_place, adjust, order
from tests.integration.purchasing_helpers import placed, purchasing_setup


@pytest.fixture
def waiting(onhand):
    """An open order for 5 W while NY-A-1 holds 3 of it."""
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "NY-A-1", kind="bin", parent="NY")
    adjust(onhand, "NY-A-1", "W", 3)
    return order(onhand, ("W", 5), customer="Ana").reference


def test_an_operator_allocates_from_the_order_page_and_sees_what_is_reserved_where(onhand, web_clients, waiting):
    client = web_clients.signed_in(add_user(onhand, "operator"))
    assert waiting in client.get("/orders?status=open").text
    assert waiting not in client.get("/orders?status=shipped").text
    page = client.get(f"/orders/{waiting}")
    assert "Not routed yet" in page.text
    answer = client.post(f"/orders/{waiting}/allocate", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 200 and "the order is backordered" in answer.text
    assert '<td class="num reserved">3</td><td class="num backordered">2</td>' in answer.text
    assert "3 at NY-A-1" in answer.text
    routing = services.sales_orders.get_order(onhand, waiting).routing_note
    assert routing and routing in answer.text


def test_a_viewer_sees_the_order_but_may_not_allocate_it(onhand, web_clients, waiting):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    page = client.get(f"/orders/{waiting}")
    assert page.status_code == 200 and "Allocate" not in page.text and "audit-heading" not in page.text
    refused = client.post(f"/orders/{waiting}/allocate", data={"csrf_token": csrf_token(client.get("/items"))})
    assert refused.status_code == 403
    assert services.sales_orders.get_order(onhand, waiting).status == "open"


def test_the_audit_trail_shows_who_changed_the_order_to_a_manager(onhand, web_clients, waiting):
    client = web_clients.signed_in(add_user(onhand, "manager"))
    page = client.get(f"/orders/{waiting}")
    client.post(f"/orders/{waiting}/allocate", data={"csrf_token": csrf_token(page)})
    assert "allocate_order by user:manager@example.com" in client.get(f"/orders/{waiting}").text


def test_purchase_orders_are_listed_and_shown_with_what_is_open(onhand, web_clients):
    purchasing_setup(onhand)
    reference = placed(onhand, ("TEA", "10", "2.00"), ("W", "4", "1.50")).reference
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    assert reference in client.get("/purchase-orders?status=ordered").text
    assert reference not in client.get("/purchase-orders?status=received").text
    page = client.get(f"/purchase-orders/{reference}").text
    assert '<tr data-sku="TEA"><td>1</td><td>TEA</td><td class="num">10</td>' in page
    assert "total 26.00 USD" in page and f'href="/receiving/{reference}"' in page


@pytest.mark.parametrize("path", ["/orders/NOPE", "/purchase-orders/NOPE", "/orders?status=lost",
                                  "/purchase-orders?status=lost"])
def test_unknown_orders_and_statuses_are_not_found(onhand, web_clients, path):
    client = web_clients.signed_in(add_user(onhand, "viewer"))
    assert client.get(path).status_code == 404
