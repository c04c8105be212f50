"""Syncing an Amazon channel against the SP-API stand-in: LWA token, getOrders pages,
getOrderItems, the cursor, throttling and failures."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.adapters.channels.amazon.client import AmazonClient
from onhand.adapters.channels.amazon.credentials import AmazonCredentials
from onhand.domain.errors import PushFailed
from onhand.services.channels.amazon_sync import ORDERS_CURSOR, sync_amazon_orders
from tests.amazon_stand_in import CLIENT_ID, CLIENT_SECRET, MARKETPLACE, REFRESH, SELLER, amazon_stand_in, item, order
from tests.integration.channels.amazon_helpers import amazon_shop
from tests.integration.helpers import level

CREDENTIALS = AmazonCredentials(seller_id=SELLER, marketplace_id=MARKETPLACE, client_id=CLIENT_ID,
                                client_secret=CLIENT_SECRET, refresh_token=REFRESH)


@pytest.fixture
def amazon():
    with amazon_stand_in() as (url, state):
        waits: list[float] = []
        client = AmazonClient(url, CREDENTIALS, lwa_url=f"{url}/auth/o2/token", sleep=waits.append)
        yield client, state, waits
        client.close()


def _cursor(onhand, name="amz-us"):
    with onhand.reading() as uow:
        return uow.channel_sync.cursor(uow.channels.by_name(name).id, ORDERS_CURSOR)


def test_a_sync_reads_every_page_imports_each_order_once_and_moves_the_cursor(onhand, amazon) -> None:
    client, state, _waits = amazon
    amazon_shop(onhand)
    for n in range(5):
        state.put_order(order(f"111-000000{n}-0000001", "Unshipped", f"2026-03-02T08:0{n}:00Z"),
                        [item("MUG-AMZ", 1, "10.99")])
    result = sync_amazon_orders(onhand, "amz-us", client)
    assert (result.orders, result.outcomes) == (5, {"imported": 5})
    assert level(onhand, "MUG", "NY")[1] == 5
    assert _cursor(onhand) == "2026-03-02T09:58:00Z"  # Amazon's LastUpdatedBefore
    pages = [r for r in state.requests if r[1] == "/orders/v0/orders"]
    assert len(pages) == 3  # two orders a page
    assert len(state.token_requests) == 1  # one LWA token for the whole sync
    again = sync_amazon_orders(onhand, "amz-us", client)
    assert again.orders == 0
    assert len(services.sales_orders.list_orders(onhand, channel="amz-us")) == 5


def test_an_order_cancelled_since_the_last_sync_releases_its_stock(onhand, amazon) -> None:
    client, state, _waits = amazon
    amazon_shop(onhand)
    state.put_order(order("111-0000001-0000001", "Pending", "2026-03-02T08:00:00Z"), [item("MUG-AMZ", 4, None)])
    sync_amazon_orders(onhand, "amz-us", client)
    assert level(onhand, "MUG", "NY")[1] == 4
    state.put_order(order("111-0000001-0000001", "Canceled", "2026-03-02T10:00:00Z"), [item("MUG-AMZ", 4, None)])
    state.orders["111-0000001-0000001"]["LastUpdateDate"] = "2026-03-02T10:00:00Z"
    result = sync_amazon_orders(onhand, "amz-us", client)
    assert result.outcomes == {"cancelled": 1}
    assert level(onhand, "MUG", "NY")[1] == 0


def test_throttling_waits_as_the_rate_limit_header_asks_and_5xx_backs_off(onhand, amazon) -> None:
    client, state, waits = amazon
    amazon_shop(onhand)
    state.put_order(order("111-0000001-0000001", "Unshipped", "2026-03-02T08:00:00Z"), [item("MUG-AMZ", 1, "5.00")])
    state.faults += [("/orders/v0/orders", 429, {"x-amzn-RateLimit-Limit": "0.0167"}),
                     ("/orders/v0/orders", 503, {})]
    result = sync_amazon_orders(onhand, "amz-us", client)
    assert result.outcomes == {"imported": 1}
    assert waits[0] == pytest.approx(1 / 0.0167)  # getOrders: one request a minute, so about 60 s
    assert waits[1] == 1.0  # then exponential backoff


def test_amazon_failing_leaves_the_cursor_and_records_the_error_without_secrets(onhand, amazon) -> None:
    client, state, waits = amazon
    amazon_shop(onhand)
    state.faults += [("/orders/v0/orders", 500, {})] * 5
    with pytest.raises(PushFailed) as failed:
        sync_amazon_orders(onhand, "amz-us", client)
    assert "HTTP 500" in str(failed.value) and len(waits) == 4
    view = services.channels.show_channel(onhand, "amz-us")
    assert view.last_error and "HTTP 500" in view.last_error
    assert _cursor(onhand) is None
    for secret in (CLIENT_SECRET, REFRESH):
        assert secret not in view.last_error and secret not in repr(CREDENTIALS)


def test_a_refused_refresh_token_is_a_clear_failure(onhand) -> None:
    amazon_shop(onhand)
    with amazon_stand_in() as (url, _state):
        wrong = AmazonCredentials(SELLER, MARKETPLACE, CLIENT_ID, CLIENT_SECRET, "Atzr|revoked")
        client = AmazonClient(url, wrong, lwa_url=f"{url}/auth/o2/token", sleep=lambda _s: None)
        with pytest.raises(PushFailed, match="LWA token exchange answered 400"):
            sync_amazon_orders(onhand, "amz-us", client)
        client.close()
