"""Workers processing the inbox at the same time really race here (threads on their own
connections; on PostgreSQL they run side by side, SQLite queues them): every Shopify order
is imported once, each delivery processed once, and what one delivery raises is listed once."""

from __future__ import annotations

from onhand import services
from tests.integration.channels.shop import deliver, empty_inbox, sample, stocked_shop
from tests.integration.orders.test_order_concurrency import race

ORDERS = 12
WORKERS = 4


def test_concurrent_workers_import_each_order_once(onhand, tmp_path) -> None:
    stocked_shop(onhand, tmp_path)
    for n in range(ORDERS):
        payload = sample(id=1000 + n)
        if n == 0:
            payload["line_items"][0]["sku"] = "NOT-KNOWN"
            payload["line_items"][0]["variant_id"] = 1
        deliver(onhand, payload, event_id=f"e-{n}")
        deliver(onhand, payload, event_id=f"again-{n}", topic="orders/updated")  # the same order again

    processed = race(lambda _n: empty_inbox(onhand), threads=WORKERS)

    assert sum(processed) == 2 * ORDERS  # each delivery processed by exactly one worker
    orders = services.sales_orders.list_orders(onhand, channel="shop-us", limit=1000)
    assert sorted(o.external_id for o in orders) == sorted(str(1000 + n) for n in range(ORDERS))
    [problem] = services.channel_exceptions.list_exceptions(onhand)
    assert (problem.kind, problem.external_order_id) == ("unknown_sku", "1000")
