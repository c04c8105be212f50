"""The Amazon poller's round: orders when due, quantities every round, and one channel
failing leaves the others going."""

from __future__ import annotations

from onhand import services
from onhand.adapters.channels.amazon.client import AmazonClient
from onhand.domain.channels.commands import AddChannel
from onhand.domain.errors import InvalidInput
from onhand.services.channels.amazon_worker import run_amazon_round
from tests.amazon_stand_in import amazon_stand_in, item, order
from tests.integration.channels.amazon_helpers import amazon_shop
from tests.integration.channels.test_amazon_sync import CREDENTIALS
from tests.integration.feed.settle import settle


def test_a_round_pulls_orders_when_due_and_pushes_quantities_every_time(onhand, clock) -> None:
    amazon_shop(onhand)
    services.channels.add_channel(onhand, AddChannel(name="amz-broken", kind="amazon"))  # no endpoint
    with amazon_stand_in() as (url, state):
        client = AmazonClient(url, CREDENTIALS, lwa_url=f"{url}/auth/o2/token", sleep=lambda _s: None)

        def connect(connection):
            if connection.endpoint is None:
                raise InvalidInput("endpoint", "the channel has no endpoint")
            return client

        state.put_order(order("111-0000001-0000001", "Unshipped", "2026-03-02T08:30:00Z"), [item("MUG-AMZ", 2, "9")])
        first = {r.channel: r for r in run_amazon_round(onhand, connect)}
        assert first["amz-broken"].error and "endpoint" in first["amz-broken"].error
        assert first["amz-us"].orders.outcomes == {"imported": 1}
        settle(onhand)
        clock.advance(seconds=30)  # orders not due again yet; quantities go every round
        second = {r.channel: r for r in run_amazon_round(onhand, connect)}
        assert second["amz-us"].orders is None
        assert state.quantities == {"MUG-AMZ": 8}
        clock.advance(minutes=2)
        third = {r.channel: r for r in run_amazon_round(onhand, connect)}
        assert third["amz-us"].orders is not None
        client.close()
    assert services.channels.show_channel(onhand, "amz-broken").last_error
