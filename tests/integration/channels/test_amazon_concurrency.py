"""Two syncs applying the same Amazon orders at once (two workers, a sync on demand beside
the scheduled one) really race here, each thread on its own connection: every order is
imported once and reserves once."""

from __future__ import annotations

from onhand import services
from onhand.services.channels.amazon_orders import apply_amazon_order
from tests.integration.channels.amazon_helpers import amazon_order, amazon_shop
from tests.integration.helpers import assert_books_balance, level
from tests.integration.orders.test_order_concurrency import race

THREADS = 6


def test_racing_imports_of_the_same_orders_import_each_once(onhand) -> None:
    amazon_shop(onhand)
    orders = [amazon_order(order_id=f"111-000000{n}-0000001", lines=(("MUG-AMZ", 1, "9.00"),)) for n in range(3)]

    def sync(_thread: int) -> list[str]:
        return [apply_amazon_order(onhand, "amz-us", order).value for order in orders]

    outcomes = race(sync, threads=THREADS)
    assert sorted(outcome for run in outcomes for outcome in run).count("imported") >= 3
    assert len(services.sales_orders.list_orders(onhand, channel="amz-us")) == 3
    assert level(onhand, "MUG", "NY")[1] == 3
    with onhand.reading() as uow:
        channel = uow.channels.by_name("amz-us").id
        assert all(uow.channels.order_of(channel, order.amazon_order_id) for order in orders)
    assert services.channel_exceptions.list_exceptions(onhand, channel="amz-us") == []
    assert_books_balance(onhand)
