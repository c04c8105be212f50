"""Catch-up import: orders the shop changed while Onhand was away come in through the same
inbox as webhooks — once, whether seen by webhook, by catch-up, or both."""

from __future__ import annotations

from datetime import UTC, datetime

from onhand import services
from tests.integration.channels.shop import deliver, drain, sample, stocked_shop
from tests.shopify_stand_in import shopify_stand_in

SINCE = datetime(2026, 3, 30, tzinfo=UTC)


def test_orders_missed_during_an_outage_are_imported_once(onhand, tmp_path) -> None:
    with shopify_stand_in() as (stand_in, url):
        stocked_shop(onhand, tmp_path, endpoint=url)
        deliver(onhand, sample())  # this one also came by webhook
        drain(onhand)
        stand_in.orders = [sample(), sample(id=5940139491234)]
        assert services.channel_catch_up.catch_up(onhand, "shop-us", since=SINCE) == 2
        assert services.channel_catch_up.catch_up(onhand, "shop-us", since=SINCE) == 0
        assert stand_in.received[-1]["path"].startswith("/admin/api/2026-01/orders.json?status=any&updated_at_min=")
    orders = services.sales_orders.list_orders(onhand, channel="shop-us")
    assert sorted(o.external_id for o in orders) == ["5940139491234", "820982911946154508"]
