"""Channels as records: added once, mapped to locations and SKUs, read back without any
secret, and their exceptions listed until resolved."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.domain.channels.commands import AddChannel, MapLocation, MapSku, ResolveException, UnmapLocation
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.services.channels.exceptions import raise_exception
from tests.integration.helpers import add_item, add_place


@pytest.fixture
def shop(onhand):
    add_item(onhand, "MUG")
    add_item(onhand, "CUP")
    add_place(onhand, "NY")
    return services.channels.add_channel(onhand, AddChannel(
        name="Shop-US", kind="shopify", endpoint="https://shop-us.myshopify.com/", api_version="2026-01",
        credentials="file:/etc/onhand/shop-us.json"))


def test_a_channel_is_added_with_where_its_secrets_are_but_never_what_they_are(onhand, shop) -> None:
    assert (shop.name, shop.kind, shop.endpoint, shop.credentials_source) == (
        "shop-us", "shopify", "https://shop-us.myshopify.com", "file")
    assert "shop-us.json" not in repr(services.channels.show_channel(onhand, "shop-us"))
    assert [c.name for c in services.channels.list_channels(onhand)] == ["shop-us"]


def test_a_second_channel_of_the_same_name_is_refused(onhand, shop) -> None:
    with pytest.raises(AlreadyExists):
        services.channels.add_channel(onhand, AddChannel(name="shop-us", kind="generic"))


@pytest.mark.parametrize(("field", "command"), [
    ("name", AddChannel(name="manual", kind="generic")),
    ("name", AddChannel(name="x" * 33, kind="generic")),
    ("kind", AddChannel(name="a", kind="ebay")),
    ("endpoint", AddChannel(name="a", kind="shopify", endpoint="ftp://x")),
    ("credentials", AddChannel(name="a", kind="shopify", credentials="relative/path.json")),
    ("api_version", AddChannel(name="a", kind="shopify", api_version="2026 01")),
])
def test_bad_input_names_its_field_and_adds_nothing(onhand, field, command) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.channels.add_channel(onhand, command)
    assert refused.value.field == field
    assert services.channels.list_channels(onhand) == []


def test_locations_and_skus_map_to_the_channels_ids_kept_as_text(onhand, shop) -> None:
    services.channels.map_location(onhand, MapLocation("shop-us", "NY", "gid://shopify/Location/124656943"))
    view = services.channels.map_sku(onhand, MapSku("shop-us", "MUG", external_variant_id="820982911946154508",
                                                     external_item_id="gid://shopify/InventoryItem/30322695"))
    assert [(m.location, m.external_location_id) for m in view.locations] == [
        ("NY", "gid://shopify/Location/124656943")]
    assert [(m.sku, m.external_sku, m.external_variant_id) for m in view.skus] == [
        ("MUG", "MUG", "820982911946154508")]
    view = services.channels.unmap_location(onhand, UnmapLocation("shop-us", "NY"))
    assert view.locations == ()


def test_one_channel_variant_names_one_item(onhand, shop) -> None:
    services.channels.map_sku(onhand, MapSku("shop-us", "MUG", external_variant_id="1"))
    with pytest.raises(AlreadyExists) as refused:
        services.channels.map_sku(onhand, MapSku("shop-us", "CUP", external_variant_id="1"))
    assert refused.value.field == "external_variant_id"


def test_a_transit_location_cannot_feed_a_channel(onhand, shop) -> None:
    add_place(onhand, "OCEAN", kind="transit")
    with pytest.raises(InvalidInput) as refused:
        services.channels.map_location(onhand, MapLocation("shop-us", "OCEAN", "1"))
    assert refused.value.field == "location"


def test_an_unknown_channel_is_not_found(onhand) -> None:
    with pytest.raises(NotFound):
        services.channels.show_channel(onhand, "nowhere")


def test_exceptions_are_listed_until_resolved_once(onhand, shop) -> None:
    with onhand.writing() as uow:
        channel_id = uow.channels.by_name("shop-us").id
        made = raise_exception(uow, channel_id, "unknown_sku", "no item for SKU 'X'", at=onhand.now(),
                               external_order_id="820982911946154508", sku="X")
    [listed] = services.channel_exceptions.list_exceptions(onhand, channel="shop-us")
    assert (listed.id, listed.kind, listed.sku, listed.external_order_id) == (
        made, "unknown_sku", "X", "820982911946154508")
    done = services.channel_exceptions.resolve_exception(onhand, ResolveException("shop-us", made))
    assert done.resolved_at is not None and done.resolved_by == "system"
    assert services.channel_exceptions.list_exceptions(onhand) == []
    assert len(services.channel_exceptions.list_exceptions(onhand, unresolved=False)) == 1
    with pytest.raises(Conflict):
        services.channel_exceptions.resolve_exception(onhand, ResolveException("shop-us", made))
