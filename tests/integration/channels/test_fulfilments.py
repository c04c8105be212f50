"""Fulfilment back: shipping an order a channel sent creates the fulfilment in the shop
through its fulfillment orders, with the package's tracking, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.orders.commands import ConfirmPick, PackageSpec, PackOrder, PickConfirmation, ShipOrder
from tests.integration.channels.shop import Clock, clocked, deliver, drain, sample, stocked_shop
from tests.shopify_stand_in import shopify_stand_in


@pytest.fixture
def shop(onhand, tmp_path):
    with shopify_stand_in() as (stand_in, url):
        stocked_shop(onhand, tmp_path, endpoint=url)
        stand_in.fulfillment_orders["820982911946154508"] = [
            {"line_item_id": 866550311766439020, "remaining": 1, "sku": "IPOD2008GREEN"},
            {"line_item_id": 141249953214522974, "remaining": 2, "sku": "IPOD2008BLACK"}]
        deliver(onhand, sample())
        drain(onhand)
        yield onhand, stand_in


def test_shipping_an_imported_order_fulfils_it_in_the_shop_with_tracking(shop) -> None:
    onhand, stand_in = shop
    [order] = services.sales_orders.list_orders(onhand, channel="shop-us")
    services.picking.confirm_pick(onhand, ConfirmPick(order.reference, picks=[
        PickConfirmation("IPOD2008GREEN", "NY", Decimal(1)), PickConfirmation("IPOD2008BLACK", "NY", Decimal(2))]))
    services.shipping.pack_order(onhand, PackOrder(order.reference, packages=[
        PackageSpec(contents=[(1, 1), (2, 2)], carrier="UPS", tracking_number="1Z2345")]))
    services.shipping.ship_order(onhand, ShipOrder(order.reference))
    assert drain(onhand).fulfilments == 1
    assert drain(onhand).fulfilments == 0
    [made] = stand_in.fulfillments
    assert made["trackingInfo"] == {"company": "UPS", "number": "1Z2345"}
    assert [(i["quantity"]) for g in made["lineItemsByFulfillmentOrder"] for i in g["fulfillmentOrderLineItems"]] == [
        1, 2]


def test_a_failed_fulfilment_is_retried_and_a_lost_answer_fulfils_nothing_twice(shop, database_url) -> None:
    onhand, stand_in = shop
    [order] = services.sales_orders.list_orders(onhand, channel="shop-us")
    services.shipping.ship_order(onhand, ShipOrder(order.reference))
    clock = Clock(onhand.now())
    with clocked(database_url, clock) as later:
        stand_in.fail_next("500")
        assert drain(later).fulfilments == 0
        assert drain(later).fulfilments == 0  # it waits its backoff
        clock.now += timedelta(minutes=1)
        stand_in.fail_next("_", "lost")  # the fulfilment is made, its answer lost
        assert drain(later).fulfilments == 0
        clock.now += timedelta(minutes=1)
        assert drain(later).fulfilments == 1  # nothing left to fulfil there: done
    assert len(stand_in.fulfillments) == 1
