"""Bundles: components, nesting, cycles, availability per location and in total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.assemblies.commands import ComponentLine, SetBundleComponents
from onhand.domain.errors import InvalidInput
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance, level


@pytest.fixture
def kit(onhand):
    """NY and LA; mugs A (each), tea B (each); STARTER = 2 A + 1 B."""
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "A")
    add_item(onhand, "B")
    add_item(onhand, "STARTER", kind="bundle")
    services.bundles.set_components(
        onhand, SetBundleComponents("STARTER", components=[ComponentLine("A", 2), ComponentLine("B", 1)])
    )
    return onhand


def test_ten_of_a_and_five_of_b_make_five_starter_packs(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "A")
    add_item(onhand, "B")
    add_item(onhand, "STARTER", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents(
        "STARTER", components=[ComponentLine("A", 1), ComponentLine("B", 1)]
    ))
    adjust(onhand, "NY", "A", 10)
    adjust(onhand, "NY", "B", 5)

    figure = services.bundles.bundle_availability(onhand, "STARTER")

    assert figure.available == 5
    assert [(p.location, p.quantity) for p in figure.locations] == [("NY", 5)]


def test_availability_is_per_location_and_in_total_from_the_components_available_there(kit):
    adjust(kit, "NY", "A", 7)
    adjust(kit, "LA", "B", 4)
    adjust(kit, "LA", "A", 2)

    figure = services.bundles.bundle_availability(kit, "STARTER")

    # NY has no B; LA makes 1; the total is the sum of the sites' kits, not min(9 // 2, 4).
    assert dict((p.location, p.quantity) for p in figure.locations) == {"NY": 0, "LA": 1}
    assert figure.available == 1
    assert services.bundles.bundle_availability(kit, "STARTER", location="LA").available == 1


def test_components_split_across_two_sites_make_no_bundle(onhand):
    # Given X+Y kits, site A with 2 X and no Y, site B with no X and 2 Y
    add_place(onhand, "A")
    add_place(onhand, "B")
    add_item(onhand, "X")
    add_item(onhand, "Y")
    add_item(onhand, "XY", kind="bundle")
    services.bundles.set_components(onhand, SetBundleComponents("XY", components=[
        ComponentLine("X", 1), ComponentLine("Y", 1)]))
    adjust(onhand, "A", "X", 2)
    adjust(onhand, "B", "Y", 2)
    # Then no site can ship a kit: 0 everywhere, in every total (not 2)
    figure = services.bundles.bundle_availability(onhand, "XY")
    assert figure.available == 0 and {p.quantity for p in figure.locations} == {0}
    assert level(onhand, "XY") == (0, 0, 0)
    listing = services.stock.stock_levels(onhand).levels
    assert [(lv.sku, lv.available) for lv in listing] == [("X", 2), ("XY", 0), ("Y", 2)]


def test_a_reservation_of_a_shared_component_lowers_every_bundle_that_holds_it(kit):
    add_item(kit, "GIFT", kind="bundle")
    services.bundles.set_components(kit, SetBundleComponents("GIFT", components=[ComponentLine("B", 2)]))
    adjust(kit, "NY", "A", 10)
    adjust(kit, "NY", "B", 6)
    assert services.bundles.bundle_availability(kit, "STARTER").available == 5
    assert services.bundles.bundle_availability(kit, "GIFT").available == 3

    allocated(kit, ("B", 4))

    assert services.bundles.bundle_availability(kit, "STARTER").available == 2
    assert services.bundles.bundle_availability(kit, "GIFT").available == 1


def test_a_bundle_may_contain_bundles_and_is_flattened(kit):
    add_item(kit, "DOUBLE", kind="bundle")
    services.bundles.set_components(kit, SetBundleComponents(
        "DOUBLE", components=[ComponentLine("STARTER", 2), ComponentLine("A", 1)]
    ))
    adjust(kit, "NY", "A", 10)
    adjust(kit, "NY", "B", 10)

    with kit.reading() as uow:
        a, b, double = (uow.items.get_by_sku(s).id for s in ("A", "B", "DOUBLE"))
        exploded = services.bundles.explode(uow, double, Decimal(3))

    assert exploded == sorted([(a, Decimal(15)), (b, Decimal(6))])
    assert services.bundles.bundle_availability(kit, "DOUBLE").available == 2  # 10 A // 5


def test_a_cycle_is_refused_naming_the_component_field(kit):
    add_item(kit, "OUTER", kind="bundle")
    services.bundles.set_components(kit, SetBundleComponents("OUTER", components=[ComponentLine("STARTER", 1)]))

    with pytest.raises(InvalidInput) as caught:
        services.bundles.set_components(
            kit, SetBundleComponents("STARTER", components=[ComponentLine("A", 1), ComponentLine("OUTER", 1)])
        )

    assert caught.value.field == "components[1].sku"
    assert "STARTER → OUTER → STARTER" in caught.value.reason
    assert [c.sku for c in services.bundles.get_bundle(kit, "STARTER").components] == ["A", "B"]


def test_a_bundle_cannot_be_its_own_component_or_list_one_twice(kit):
    with pytest.raises(InvalidInput) as itself:
        services.bundles.set_components(kit, SetBundleComponents("STARTER", components=[ComponentLine("STARTER", 1)]))
    with pytest.raises(InvalidInput) as twice:
        services.bundles.set_components(kit, SetBundleComponents(
            "STARTER", components=[ComponentLine("A", 1), ComponentLine("A", 2)]
        ))

    assert itself.value.field == "components[0].sku"
    assert twice.value.field == "components[1].sku"


def test_stock_of_a_bundle_cannot_be_posted(kit):
    moves = services.integrity.verify(kit).moves_checked

    with pytest.raises(InvalidInput) as caught:
        adjust(kit, "NY", "STARTER", 3)

    assert caught.value.field == "moves[0].sku"
    assert services.integrity.verify(kit).moves_checked == moves


def test_a_bundle_tracks_no_lots(onhand):
    with pytest.raises(InvalidInput) as caught:
        add_item(onhand, "KIT", kind="bundle", tracking="lot")

    assert caught.value.field == "tracking"


def test_stock_levels_list_bundles_by_item_and_by_location(kit):
    adjust(kit, "NY", "A", 4)
    adjust(kit, "NY", "B", 1)
    adjust(kit, "LA", "A", 2)
    adjust(kit, "LA", "B", 3)

    assert level(kit, "STARTER") == (0, 0, 2)  # the sites' kits summed, not min(6 // 2, 4) = 3
    by_site = services.stock.stock_levels(kit, sku="STARTER", group_by="location").levels
    assert [(lv.location, lv.available) for lv in by_site] == [("LA", 1), ("NY", 1)]
    listing = services.stock.stock_levels(kit).levels
    assert [(lv.sku, lv.available) for lv in listing] == [("A", 6), ("B", 4), ("STARTER", 2)]
    assert_books_balance(kit)


def test_a_bundle_in_a_whole_unit_is_floored_to_whole_bundles(kit):
    add_item(kit, "FLOUR", unit="kg")
    add_item(kit, "BAKING", kind="bundle")
    services.bundles.set_components(kit, SetBundleComponents("BAKING", components=[ComponentLine("FLOUR", "0.4")]))
    adjust(kit, "NY", "FLOUR", "1.5")

    assert services.bundles.bundle_availability(kit, "BAKING").available == 3


def test_expired_and_unsellable_component_stock_makes_no_bundles(kit):
    add_item(kit, "C", tracking="lot")
    add_item(kit, "FRESH", kind="bundle")
    services.bundles.set_components(kit, SetBundleComponents("FRESH", components=[ComponentLine("C", 1)]))
    add_place(kit, "CAGE", kind="bin", parent="NY", sellable=False)
    adjust(kit, "NY", "C", 3, lot="OLD", expiry_date="2026-03-01")  # the clock says 2026-03-02
    adjust(kit, "CAGE", "C", 5, lot="NEW", expiry_date="2027-01-01")
    adjust(kit, "NY", "C", 2, lot="NEW")

    assert services.bundles.bundle_availability(kit, "FRESH").available == 2
