"""Selling bundles: a bundle's line is followed by its components' lines, which are what
is reserved, picked and shipped; the bundle's line counts whole bundles."""

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import ReceiveReturn, ReturnLine, ShipLine, ShipOrder
from onhand.services.assemblies.bundles import ComponentLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance, held, level, order


@pytest.fixture
def shop(onhand):
    add_item(onhand, "MUG")
    add_item(onhand, "TEA", tracking="lot")
    add_item(onhand, "SPOON")
    add_item(onhand, "KIT", kind="bundle")
    add_item(onhand, "HAMPER", kind="bundle")
    services.bundles.set_components(onhand, "KIT", components=[ComponentLine("MUG", 1), ComponentLine("TEA", 2)])
    services.bundles.set_components(
        onhand, "HAMPER", components=[ComponentLine("KIT", 2), ComponentLine("SPOON", 1), ComponentLine("MUG", 1)]
    )
    add_place(onhand, "NY")
    yield onhand
    assert_books_balance(onhand)


def lines_of(view):
    return [(ln.line_no, ln.sku, ln.quantity, ln.kit_line_no) for ln in view.lines]


def test_a_bundle_line_is_followed_by_its_components_and_they_are_reserved(shop):
    adjust(shop, "NY", "MUG", 10)
    adjust(shop, "NY", "TEA", 10, lot="L1", expiry_date="2027-01-01")
    view = allocated(shop, ("KIT", 3), NewOrderLine("SPOON", 1, unit_price=2))
    assert lines_of(view) == [(1, "KIT", 3, None), (2, "SPOON", 1, None), (3, "MUG", 3, 1), (4, "TEA", 6, 1)]
    assert view.status == "backordered"  # no spoons
    kit = view.lines[0]
    assert (kit.reserved, kit.backordered, kit.reservations) == (3, 0, ())
    assert held(view) == [(3, "NY", None, 3), (4, "NY", "L1", 6)]
    assert level(shop, "TEA") == (10, 6, 4)


def test_a_bundle_counts_only_whole_bundles_whose_every_component_is_reserved(shop):
    adjust(shop, "NY", "MUG", 10)
    adjust(shop, "NY", "TEA", 5, lot="L1", expiry_date="2027-01-01")
    view = allocated(shop, ("KIT", 3))
    kit = view.lines[0]
    assert (kit.reserved, kit.backordered, view.status) == (2, 1, "backordered")


def test_nested_bundles_explode_to_the_items_that_hold_stock(shop):
    view = order(shop, ("HAMPER", 2))
    assert lines_of(view) == [(1, "HAMPER", 2, None), (2, "MUG", 6, 1), (3, "TEA", 8, 1), (4, "SPOON", 2, 1)]


def test_shipping_a_bundle_line_ships_its_components_and_the_order_shows_the_bundle_shipped(shop):
    adjust(shop, "NY", "MUG", 3)
    adjust(shop, "NY", "TEA", 6, lot="L1", expiry_date="2027-01-01")
    view = allocated(shop, ("KIT", 3))
    part = services.shipping.ship_order(shop, ShipOrder(view.reference, lines=[ShipLine(1, 2)]))
    assert [(ln.sku, ln.shipped) for ln in part.lines] == [("KIT", 2), ("MUG", 2), ("TEA", 4)]
    assert part.status == "partially_shipped"
    done = services.shipping.ship_order(shop, ShipOrder(view.reference))
    assert [(ln.sku, ln.shipped, ln.open) for ln in done.lines] == [("KIT", 3, 0), ("MUG", 3, 0), ("TEA", 6, 0)]
    assert done.status == "shipped"
    assert level(shop, "MUG") == (0, 0, 0)


def test_reserving_a_shared_component_for_one_bundle_lowers_the_other_bundles_at_once(shop):
    adjust(shop, "NY", "MUG", 4)
    adjust(shop, "NY", "TEA", 8, lot="L1", expiry_date="2027-01-01")
    adjust(shop, "NY", "SPOON", 5)
    assert services.bundles.bundle_availability(shop, "KIT").available == 4
    assert services.bundles.bundle_availability(shop, "HAMPER").available == 1  # 3 mugs, 4 tea each
    allocated(shop, ("KIT", 2))
    assert services.bundles.bundle_availability(shop, "KIT").available == 2
    assert services.bundles.bundle_availability(shop, "HAMPER").available == 0


def test_a_bundle_without_components_or_in_a_fraction_its_components_cannot_make_is_refused(shop):
    add_item(shop, "EMPTY", kind="bundle")
    with pytest.raises(InvalidInput) as empty:
        order(shop, ("EMPTY", 1))
    assert empty.value.field == "lines[0].sku"
    add_item(shop, "HALF", kind="bundle", unit="kg")
    services.bundles.set_components(shop, "HALF", components=[ComponentLine("MUG", 1)])
    with pytest.raises(InvalidInput) as fraction:
        order(shop, ("MUG", 1), ("HALF", "0.5"))
    assert fraction.value.field == "lines[1].quantity"
    assert services.sales_orders.list_orders(shop) == []


def test_returns_name_the_components_of_a_bundle(shop):
    adjust(shop, "NY", "MUG", 1)
    adjust(shop, "NY", "TEA", 2, lot="L1", expiry_date="2027-01-01")
    view = allocated(shop, ("KIT", 1))
    services.shipping.ship_order(shop, ShipOrder(view.reference))
    with pytest.raises(InvalidInput) as refused:
        services.returns.receive_return(shop, ReceiveReturn(view.reference, location="NY",
                                        lines=[ReturnLine(1, 1, reason="damaged", condition="damaged")]))
    assert refused.value.field == "lines[0].line_no" and "lines 2, 3" in refused.value.reason
    back = services.returns.receive_return(
        shop, ReceiveReturn(view.reference, location="NY",
        lines=[ReturnLine(2, 1, reason="damaged", condition="damaged"),
               ReturnLine(3, 2, lot="L1", reason="damaged", condition="damaged")]),
    )
    assert [(ln.sku, ln.returned) for ln in back.lines] == [("KIT", 1), ("MUG", 1), ("TEA", 2)]
