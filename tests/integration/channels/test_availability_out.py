"""Availability out: the quantity each mapped item may sell at each Shopify location,
bundles computed from their components per location, transit and quarantine excluded —
coalesced, pushed after commit with compare quantities and an idempotency key, retried
through throttling, 5xx and lost answers, and reconciled against the shop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from onhand import services
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.channels.commands import MapLocation, MapSku
from onhand.domain.transfers.commands import CreateTransfer, ShipTransfer
from onhand.services.transfers.transfer_orders import NewTransferLine
from tests.integration.channels.shop import Clock, clocked, deliver, drain, sample, stocked_shop
from tests.integration.helpers import add_item, add_place, adjust
from tests.shopify_stand_in import shopify_stand_in


@pytest.fixture
def shop(onhand, tmp_path):
    with shopify_stand_in() as (stand_in, url):
        stocked_shop(onhand, tmp_path, endpoint=url)
        services.channels.map_sku(onhand, MapSku("shop-us", "IPOD2008GREEN", external_variant_id="808950810",
                                                 external_item_id="gid://shopify/InventoryItem/70"))
        services.channels.map_sku(onhand, MapSku("shop-us", "IPOD2008BLACK", external_variant_id="457924702",
                                                 external_item_id="71"))
        yield onhand, stand_in


def test_stock_changes_reach_the_shop_per_location_after_commit(shop) -> None:
    onhand, stand_in = shop
    drain(onhand)
    assert stand_in.levels == {("70", "487838322"): 5, ("71", "487838322"): 5}
    adjust(onhand, "NY", "IPOD2008BLACK", -2, reason="damaged")
    adjust(onhand, "NY", "IPOD2008BLACK", 1)
    adjust(onhand, "NY", "IPOD2008BLACK", -1, reason="damaged")
    before = len(stand_in.sets())
    drain(onhand)
    assert stand_in.levels[("71", "487838322")] == 3
    assert len(stand_in.sets()) == before + 1  # three changes, one push
    quantity = stand_in.sets()[-1]["variables"]["input"]["quantities"][0]
    assert (quantity["quantity"], quantity["changeFromQuantity"]) == (3, 5)
    assert stand_in.sets()[-1]["variables"]["key"]


def test_an_imported_order_lowers_what_the_shop_may_sell(shop) -> None:
    onhand, stand_in = shop
    drain(onhand)
    deliver(onhand, sample())
    report = drain(onhand)
    assert report.deliveries == 1
    assert stand_in.levels == {("70", "487838322"): 4, ("71", "487838322"): 3}


def test_bundles_are_computed_from_components_per_location_and_transit_is_excluded(shop) -> None:
    onhand, stand_in = shop
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_place(onhand, "SEA", kind="transit")
    services.channels.map_location(onhand, MapLocation("shop-us", "LA", "487838322"))
    add_item(onhand, "PAIR", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents("PAIR", components=[
        ComponentLine("IPOD2008GREEN", 1), ComponentLine("IPOD2008BLACK", 2)]))
    services.channels.map_sku(onhand, MapSku("shop-us", "PAIR", external_item_id="72"))
    adjust(onhand, "NY-A1", "IPOD2008BLACK", 1)  # a bin of NY counts for NY: 6 black at NY
    adjust(onhand, "LA", "IPOD2008BLACK", 2)  # 2 black at LA, no green there: no pair at LA
    services.transit.ship_transfer(onhand, ShipTransfer(services.transfer_orders.create_transfer(
        onhand, CreateTransfer(source="NY", destination="LA", transit="SEA",
                               lines=[NewTransferLine("IPOD2008BLACK", 2)])).reference))
    drain(onhand)
    # NY: 5 green, 4 black (2 on the sea) → 2 pairs; LA: 0 green, 2 black → 0 pairs. Counted over
    # both places at once it would be min(5, 6 / 2) = 3: a pair that no one place can ship.
    assert stand_in.levels == {("70", "487838322"): 5, ("71", "487838322"): 6, ("72", "487838322"): 2}


def test_a_channel_location_over_two_sites_gets_no_bundle_from_components_split_between_them(shop) -> None:
    onhand, stand_in = shop
    add_place(onhand, "LA", kind="store")
    services.channels.map_location(onhand, MapLocation("shop-us", "LA", "487838322"))
    add_item(onhand, "DUO", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents("DUO", components=[
        ComponentLine("IPOD2008GREEN", 1), ComponentLine("IPOD2008BLACK", 1)]))
    services.channels.map_sku(onhand, MapSku("shop-us", "DUO", external_item_id="73"))
    adjust(onhand, "NY", "IPOD2008BLACK", -5, reason="damaged")  # NY: 5 green, 0 black
    adjust(onhand, "LA", "IPOD2008BLACK", 2)  # LA: 0 green, 2 black
    drain(onhand)
    # The same rule as the bundle's own availability: per site, then summed.
    assert stand_in.levels[("73", "487838322")] == 0 == services.bundles.bundle_availability(onhand, "DUO").available


def test_throttling_5xx_and_a_lost_answer_are_retried_to_the_same_end(shop, database_url) -> None:
    stand_in = shop[1]
    clock = Clock(shop[0].now())
    with clocked(database_url, clock) as onhand:
        throttled_then_failing(onhand, stand_in, clock)


def throttled_then_failing(onhand, stand_in, clock) -> None:
    stand_in.fail_next("throttled")
    drain(onhand)
    assert stand_in.levels == {}
    with onhand.reading() as uow:
        [row, _] = uow.channels.push_rows(1).values()
    assert row.attempts == 0 and row.next_attempt_at == clock.now + timedelta(seconds=0.1)
    stand_in.fail_next("500", "lost")
    for _ in range(3):
        clock.now += timedelta(minutes=1)
        drain(onhand)
    assert stand_in.levels == {("70", "487838322"): 5, ("71", "487838322"): 5}
    keys = [r["variables"]["key"] for r in stand_in.sets()]
    assert len(keys) == 2 and keys[0] == keys[1]  # the lost answer's retry is the same request
    assert services.channels.show_channel(onhand, "shop-us").last_sync_at is not None


def test_a_shop_that_sold_meanwhile_is_read_again_and_reconcile_corrects_drift(shop) -> None:
    onhand, stand_in = shop
    drain(onhand)
    stand_in.levels[("71", "487838322")] = 4  # sold one in the shop, no webhook yet
    adjust(onhand, "NY", "IPOD2008BLACK", 1)
    drain(onhand)
    assert stand_in.levels[("71", "487838322")] == 6  # the stale compare was read again, then set
    stand_in.levels[("70", "487838322")] = 99
    assert services.channel_pushes.reconcile(onhand, "shop-us") == (2, 1)
    assert stand_in.levels == {("70", "487838322"): 5, ("71", "487838322"): 6}
