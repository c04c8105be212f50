"""Allocation through the services: routing, FEFO and guarded reservations, on every database.

Given stock at sites and in lots, allocating an order reserves first-expired-first-out
at the nearest site that can ship the whole order, splits only when it must, and
backorders the rest; stock that cannot be sold (transit, non-sellable places,
expired / quarantined / recalled / short-dated lots) is never reserved.
"""

import pytest

from onhand import services
from onhand.domain.catalog.commands import SetLocationRouting, SetLotStatus, UpdateCompany, UpdateItem
from onhand.domain.errors import InsufficientStock, InvalidInput, NotFound
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount
from onhand.domain.orders.commands import OrderAction, ShipLineFrom
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.orders.views import ShipTo
from tests.integration.helpers import (
    add_item,
    add_place,
    adjust,
    allocated,
    assert_books_balance,
    held,
    level,
    order,
    reserved_by_line,
)

BROOKLYN = ShipTo(country="US", region="NY", postcode="11201", latitude=40.69, longitude=-73.99)
SANTA_MONICA = ShipTo(country="US", region="CA", postcode="90401", latitude=34.02, longitude=-118.49)


@pytest.fixture(autouse=True)
def books_balance_after_every_scenario(onhand):
    yield
    assert_books_balance(onhand)


@pytest.fixture
def network(onhand):
    add_item(onhand, "W")
    add_item(onhand, "G")
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY", address={"country": "US", "region": "NY"})
    add_place(onhand, "LA", kind="store", address={"country": "US", "region": "CA"})
    services.locations.set_location_routing(onhand, SetLocationRouting(code="NY", latitude=40.71, longitude=-74.0))
    services.locations.set_location_routing(onhand, SetLocationRouting(code="LA", latitude=34.05, longitude=-118.24))
    return onhand


# --- FEFO -----------------------------------------------------------------------------


def test_allocation_reserves_the_first_expiring_lots_first_and_undated_lots_last(network):
    adjust(network, "NY", "TEA", 3, lot="L-JUN", expiry_date="2026-06-01")
    adjust(network, "NY", "TEA", 5, lot="L-NONE")
    adjust(network, "NY", "TEA", 2, lot="L-APR", expiry_date="2026-04-01")
    view = allocated(network, ("TEA", 6))
    assert held(view) == [(1, "NY", "L-APR", 2), (1, "NY", "L-JUN", 3), (1, "NY", "L-NONE", 1)]
    assert view.status == "allocated"
    assert level(network, "TEA") == (10, 6, 4)
    assert_books_balance(network)


def test_within_a_site_bins_are_reserved_in_walking_order_then_by_code(network):
    add_place(network, "NY-B", kind="bin", parent="NY")
    add_place(network, "NY-A", kind="bin", parent="NY")
    add_place(network, "NY-C", kind="bin", parent="NY")
    services.locations.set_location_routing(network, SetLocationRouting(code="NY-C", walk_order=1))
    for bin_code in ("NY-A", "NY-B", "NY-C"):
        adjust(network, bin_code, "W", 2)
    view = allocated(network, ("W", 5))
    assert held(view) == [(1, "NY-A", None, 2), (1, "NY-B", None, 1), (1, "NY-C", None, 2)]


def test_expired_quarantined_and_recalled_lots_are_never_reserved(network, clock):
    clock.advance(days=8)  # 2026-03-10
    adjust(network, "NY", "TEA", 5, lot="OLD", expiry_date="2026-03-09")
    adjust(network, "NY", "TEA", 5, lot="HELD", expiry_date="2026-12-01")
    adjust(network, "NY", "TEA", 5, lot="BAD", expiry_date="2026-12-01")
    adjust(network, "NY", "TEA", 1, lot="TODAY", expiry_date="2026-03-10")
    services.lots.set_lot_status(network, SetLotStatus(sku="TEA", code="HELD", status="quarantined"))
    services.lots.set_lot_status(network, SetLotStatus(sku="TEA", code="BAD", status="recalled"))
    view = allocated(network, ("TEA", 4))
    assert held(view) == [(1, "NY", "TODAY", 1)]  # usable through its expiry date
    assert view.status == "backordered" and view.lines[0].backordered == 3
    assert_books_balance(network)


def test_stock_in_transit_or_at_a_non_sellable_place_is_never_reserved(network):
    add_place(network, "TRUCK", kind="transit")
    add_place(network, "QUARANTINE", sellable=False)
    add_place(network, "Q-1", kind="bin", parent="QUARANTINE")  # sellable itself, not its parent
    add_place(network, "NY-DMG", kind="bin", parent="NY", sellable=False)
    for place in ("TRUCK", "QUARANTINE", "Q-1", "NY-DMG"):
        adjust(network, place, "W", 5)
    view = allocated(network, ("W", 3))
    assert held(view) == [] and view.status == "backordered"
    assert level(network, "W") == (20, 0, 0)
    assert_books_balance(network)


def test_a_pinned_lot_is_the_only_lot_reserved_for_its_line(network):
    adjust(network, "NY", "TEA", 5, lot="EARLY", expiry_date="2026-04-01")
    adjust(network, "NY", "TEA", 2, lot="ASKED", expiry_date="2026-09-01")
    view = allocated(network, ("TEA", 3, "ASKED"))
    assert held(view) == [(1, "NY", "ASKED", 2)]
    assert view.lines[0].lot == "ASKED" and view.lines[0].backordered == 1
    assert level(network, "TEA", lot="EARLY") == (5, 0, 5)


def test_an_unpinned_line_does_not_take_the_lot_another_line_pinned(network):
    # Given EARLY expires first and line 1 asks for EARLY,
    adjust(network, "NY", "TEA", 5, lot="EARLY", expiry_date="2026-04-01")
    adjust(network, "NY", "TEA", 5, lot="LATE", expiry_date="2026-09-01")
    # when line 2 (any lot) is allocated with it,
    view = allocated(network, ("TEA", 5, "EARLY"), ("TEA", 5))
    # then line 2 gets LATE and both lines are reserved in full.
    assert held(view) == [(1, "NY", "EARLY", 5), (2, "NY", "LATE", 5)]
    assert view.status == "allocated"


def test_a_pinned_lot_at_one_site_and_any_lot_at_another_are_both_served(network):
    # Routing must not count the pinned lot at NY as free for the unpinned line too.
    adjust(network, "NY", "TEA", 5, lot="ASKED", expiry_date="2026-04-01")
    adjust(network, "LA", "TEA", 5, lot="OTHER", expiry_date="2026-09-01")
    view = allocated(network, ("TEA", 5, "ASKED"), ("TEA", 5), ship_to=BROOKLYN)
    assert held(view) == [(1, "NY", "ASKED", 5), (2, "LA", "OTHER", 5)]
    assert view.status == "allocated"


def test_expiry_and_the_default_ship_date_follow_the_company_business_day(network, clock):
    # 02:00 UTC on 2 March is still 1 March in New York: a lot expiring 1 March is good there.
    clock.current = clock.current.replace(hour=2)
    services.company.update_company(network, UpdateCompany(timezone="America/New_York", confirm_timezone_change=True))
    adjust(network, "NY", "TEA", 5, lot="LAST-DAY", expiry_date="2026-03-01")
    view = allocated(network, ("TEA", 1))
    assert str(view.requested_ship_date) == "2026-03-01"
    assert held(view) == [(1, "NY", "LAST-DAY", 1)]
    # Already 2 March in UTC: expired.
    services.company.update_company(network, UpdateCompany(timezone="UTC", confirm_timezone_change=True))
    later = allocated(network, ("TEA", 1))
    assert held(later) == [] and later.status == "backordered"


def test_lots_too_short_dated_for_the_company_minimum_shelf_life_are_skipped(network):
    services.company.update_company(network, UpdateCompany(min_remaining_shelf_life_days=30))
    adjust(network, "NY", "TEA", 5, lot="SHORT", expiry_date="2026-03-31")  # 29 days left
    adjust(network, "NY", "TEA", 5, lot="JUST", expiry_date="2026-04-01")  # exactly 30
    view = allocated(network, ("TEA", 7))
    assert held(view) == [(1, "NY", "JUST", 5)] and view.lines[0].backordered == 2


def test_an_item_minimum_shelf_life_overrides_the_company_default_either_way(network):
    services.company.update_company(network, UpdateCompany(min_remaining_shelf_life_days=30))
    add_item(network, "MILK", tracking="lot")
    services.items.update_item(network, UpdateItem(sku="TEA", min_remaining_shelf_life_days=0))
    services.items.update_item(network, UpdateItem(sku="MILK", min_remaining_shelf_life_days=100))
    adjust(network, "NY", "TEA", 5, lot="T-SHORT", expiry_date="2026-03-05")
    adjust(network, "NY", "MILK", 5, lot="M-90", expiry_date="2026-05-31")  # 90 days left
    adjust(network, "NY", "MILK", 5, lot="M-100", expiry_date="2026-06-10")  # 100 days left
    view = allocated(network, ("TEA", 1), ("MILK", 1))
    assert held(view) == [(1, "NY", "T-SHORT", 1), (2, "NY", "M-100", 1)]


def test_the_shelf_life_is_judged_on_the_requested_ship_date(network):
    adjust(network, "NY", "TEA", 5, lot="MAR", expiry_date="2026-03-20")
    adjust(network, "NY", "TEA", 5, lot="MAY", expiry_date="2026-05-01")
    view = allocated(network, ("TEA", 2), requested_ship_date="2026-04-01")
    assert held(view) == [(1, "NY", "MAY", 2)]


# --- routing --------------------------------------------------------------------------


def test_the_nearest_site_that_can_ship_the_whole_order_ships_it(network):
    adjust(network, "NY", "W", 5)
    adjust(network, "LA", "W", 5)
    east = allocated(network, ("W", 2), ship_to=BROOKLYN)
    west = allocated(network, ("W", 2), ship_to=SANTA_MONICA)
    assert held(east) == [(1, "NY", None, 2)] and held(west) == [(1, "LA", None, 2)]
    assert east.routing_note == "NY can ship the whole order and is the nearest that can"


def test_one_site_that_can_ship_everything_beats_a_nearer_site_that_cannot(network):
    adjust(network, "NY", "W", 5)
    adjust(network, "LA", "W", 5)
    adjust(network, "LA", "G", 5)
    view = allocated(network, ("W", 2), ("G", 1), ship_to=BROOKLYN)
    assert held(view) == [(1, "LA", None, 2), (2, "LA", None, 1)]
    assert "LA can ship the whole order" in view.routing_note


def test_a_postcode_zone_beats_a_site_in_the_same_region(network):
    add_place(network, "NJ", address={"country": "US", "region": "NJ"})
    services.locations.set_location_routing(network, SetLocationRouting(code="NJ", zones="US:112"))
    adjust(network, "NY", "W", 5)
    adjust(network, "NJ", "W", 5)
    view = allocated(network, ("W", 1), ship_to=BROOKLYN)
    assert held(view) == [(1, "NJ", None, 1)]


def test_between_equally_near_sites_the_lower_priority_number_wins(network):
    add_place(network, "B-DC")
    add_place(network, "A-DC")
    services.locations.set_location_routing(network, SetLocationRouting(code="B-DC", priority=1))
    adjust(network, "A-DC", "W", 5)
    adjust(network, "B-DC", "W", 5)
    assert held(allocated(network, ("W", 1))) == [(1, "B-DC", None, 1)]
    services.locations.set_location_routing(network, SetLocationRouting(code="B-DC", priority=100))
    assert held(allocated(network, ("W", 1))) == [(1, "A-DC", None, 1)]  # then by code


def test_an_order_no_single_site_can_ship_is_split_nearest_first_and_says_so(network):
    adjust(network, "NY", "W", 2)
    adjust(network, "LA", "W", 3)
    view = allocated(network, ("W", 4), ship_to=BROOKLYN)
    assert held(view) == [(1, "LA", None, 2), (1, "NY", None, 2)]
    assert view.status == "allocated"
    assert view.routing_note == "no single location can ship the whole order; split across NY, LA"
    assert_books_balance(network)


def test_what_no_site_has_is_backordered_and_the_order_says_so(network):
    adjust(network, "NY", "W", 2)
    view = allocated(network, ("W", 5), ("G", 1))
    assert reserved_by_line(view) == [2, 0]
    assert [ln.backordered for ln in view.lines] == [3, 1]
    assert view.status == "backordered"
    assert view.routing_note == "only NY has stock; the rest is backordered"


def test_several_lines_of_one_item_split_across_sites_are_each_reserved_what_they_ordered(network):
    adjust(network, "NY", "W", 4)
    adjust(network, "LA", "W", 2)
    view = allocated(network, ("W", 3), ("W", 3), ship_to=BROOKLYN)
    assert reserved_by_line(view) == [3, 3]
    assert all(ln.reserved + ln.shipped <= ln.quantity for ln in view.lines)


def test_allocating_again_reserves_only_what_is_still_missing(network):
    adjust(network, "NY", "W", 2)
    view = allocated(network, ("W", 5))
    again = services.sales_orders.allocate_order(network, OrderAction(view.reference))
    assert held(again) == held(view) == [(1, "NY", None, 2)]
    adjust(network, "LA", "W", 10)  # arrives and is allocated to the backorder
    again = services.sales_orders.allocate_order(network, OrderAction(view.reference))
    assert reserved_by_line(again) == [5] and again.status == "allocated"
    assert level(network, "W") == (12, 5, 7)
    assert_books_balance(network)


# --- choosing the location by hand -------------------------------------------------------


def test_a_line_created_with_a_location_ships_from_there_whatever_routing_says(network):
    adjust(network, "NY", "W", 5)
    adjust(network, "LA", "W", 5)
    view = allocated(network, NewOrderLine("W", 2, location="LA"), ship_to=BROOKLYN)
    assert held(view) == [(1, "LA", None, 2)]
    assert view.lines[0].location == "LA"
    assert "line chosen to ship from LA" in view.routing_note


def test_a_line_moved_to_another_location_releases_its_reservation_and_reserves_there(network):
    adjust(network, "NY", "W", 5)
    adjust(network, "LA", "W", 5)
    view = allocated(network, ("W", 2), ("G", 1), ship_to=BROOKLYN)
    assert held(view)[0] == (1, "NY", None, 2)
    moved = services.sales_orders.ship_line_from(
        network, ShipLineFrom(view.reference, line_no=1, location="LA"),
    )
    assert held(moved) == [(1, "LA", None, 2)]
    assert level(network, "W", "NY") == (5, 0, 5) and level(network, "W", "LA") == (5, 2, 3)
    assert moved.status == "backordered"  # G is still missing
    assert_books_balance(network)


def test_a_line_moved_to_a_site_reserves_in_its_bins(network):
    add_place(network, "LA-1", kind="bin", parent="LA")
    adjust(network, "NY", "W", 5)
    adjust(network, "LA-1", "W", 5)
    view = allocated(network, ("W", 2), ship_to=BROOKLYN)
    moved = services.sales_orders.ship_line_from(
        network, ShipLineFrom(view.reference, line_no=1, location="LA"),
    )
    assert held(moved) == [(1, "LA-1", None, 2)]


def test_a_line_moved_to_a_location_without_stock_is_backordered_not_routed_elsewhere(network):
    adjust(network, "NY", "W", 5)
    view = allocated(network, ("W", 2))
    moved = services.sales_orders.ship_line_from(
        network, ShipLineFrom(view.reference, line_no=1, location="LA"),
    )
    assert held(moved) == [] and moved.status == "backordered"
    assert level(network, "W") == (5, 0, 5)


def test_a_line_cannot_be_moved_to_a_place_that_cannot_sell_or_to_a_line_that_does_not_exist(network):
    add_place(network, "QUARANTINE", sellable=False)
    add_place(network, "TRUCK", kind="transit")
    adjust(network, "NY", "W", 5)
    view = allocated(network, ("W", 2))
    for place in ("QUARANTINE", "TRUCK", "CUSTOMER"):
        with pytest.raises(InvalidInput) as error:
            services.sales_orders.ship_line_from(
                network, ShipLineFrom(view.reference, line_no=1, location=place),
            )
        assert error.value.field == "location"
    with pytest.raises(NotFound) as error:
        services.sales_orders.ship_line_from(network, ShipLineFrom(view.reference, line_no=9, location="LA"))
    assert error.value.field == "line_no"
    assert held(services.sales_orders.get_order(network, view.reference)) == [(1, "NY", None, 2)]


def test_a_line_told_to_ship_from_a_place_is_served_before_routed_lines_take_that_stock(network):
    adjust(network, "NY", "W", 5)
    adjust(network, "LA", "W", 5)
    view = allocated(network, NewOrderLine("W", 5, location="NY"), ("W", 5), ship_to=BROOKLYN)
    assert held(view) == [(1, "NY", None, 5), (2, "LA", None, 5)]
    assert view.status == "allocated"


# --- stock arriving: backorders are served ----------------------------------------------


def test_stock_found_is_allocated_to_backorders_oldest_order_first(network):
    first = allocated(network, ("W", 2))
    second = allocated(network, ("W", 2))
    assert first.status == second.status == "backordered"
    adjust(network, "NY", "W", 3)
    first, second = (services.sales_orders.get_order(network, o.reference) for o in (first, second))
    assert (first.status, reserved_by_line(first)) == ("allocated", [2])
    assert (second.status, reserved_by_line(second)) == ("backordered", [1])
    assert level(network, "W") == (3, 3, 0)
    assert_books_balance(network)


def test_an_order_never_allocated_is_not_served_when_stock_arrives(network):
    waiting = order(network, ("W", 2))
    adjust(network, "NY", "W", 3)
    assert services.sales_orders.get_order(network, waiting.reference).status == "open"
    assert level(network, "W") == (3, 0, 3)


def test_stock_relocated_into_a_sellable_place_is_allocated_to_backorders(network):
    add_place(network, "QUARANTINE", sellable=False)
    adjust(network, "QUARANTINE", "W", 5)
    waiting = allocated(network, ("W", 2))
    assert waiting.status == "backordered"
    services.relocations.move_stock(network, MoveStock(
        source="QUARANTINE", destination="NY", lines=[StockLine("W", 3)]))
    served = services.sales_orders.get_order(network, waiting.reference)
    assert held(served) == [(1, "NY", None, 2)] and served.status == "allocated"
    assert_books_balance(network)


def test_stock_arriving_where_it_cannot_be_sold_leaves_backorders_waiting(network):
    add_place(network, "QUARANTINE", sellable=False)
    add_place(network, "TRUCK", kind="transit")
    add_place(network, "NY-DMG", kind="bin", parent="NY", sellable=False)
    adjust(network, "NY", "TEA", 5, lot="OLD", expiry_date="2026-03-01")
    waiting = allocated(network, ("W", 2), ("TEA", 1))
    for place in ("QUARANTINE", "TRUCK", "NY-DMG"):
        adjust(network, place, "W", 5)
    adjust(network, "NY", "TEA", 5, lot="OLD")  # more of an expired lot
    still = services.sales_orders.get_order(network, waiting.reference)
    assert still.status == "backordered" and held(still) == []
    assert level(network, "W") == (15, 0, 0)
    assert_books_balance(network)


def test_a_backorder_is_served_from_a_new_lot_first_expired_first(network):
    waiting = allocated(network, ("TEA", 4))
    services.adjustments.post_adjustment(
        network, PostAdjustment(location="NY", reason="found",
        lines=[
            StockLine("TEA", 3, "L-LATE", expiry_date="2026-12-01"),
            StockLine("TEA", 3, "L-SOON", expiry_date="2026-05-01"),
        ]),
    )
    served = services.sales_orders.get_order(network, waiting.reference)
    assert held(served) == [(1, "NY", "L-LATE", 1), (1, "NY", "L-SOON", 3)]


# --- lots that stop being sellable ---------------------------------------------------------


def test_recalling_a_reserved_lot_releases_it_and_allocates_the_order_again_from_another_lot(network):
    adjust(network, "NY", "TEA", 3, lot="BAD", expiry_date="2026-04-01")
    adjust(network, "NY", "TEA", 5, lot="GOOD", expiry_date="2026-09-01")
    view = allocated(network, ("TEA", 2))
    assert held(view) == [(1, "NY", "BAD", 2)]
    services.lots.set_lot_status(network, SetLotStatus(sku="TEA", code="BAD", status="recalled"))
    after = services.sales_orders.get_order(network, view.reference)
    assert held(after) == [(1, "NY", "GOOD", 2)] and after.status == "allocated"
    assert level(network, "TEA", lot="BAD") == (3, 0, 0)
    assert_books_balance(network)


def test_a_reservation_on_a_lot_that_expired_is_given_back_when_the_order_is_allocated_again(network, clock):
    adjust(network, "NY", "TEA", 3, lot="SOON", expiry_date="2026-03-05")
    view = allocated(network, ("TEA", 2))
    clock.advance(days=5)
    after = services.sales_orders.allocate_order(network, OrderAction(view.reference))
    assert held(after) == [] and after.status == "backordered"
    assert level(network, "TEA") == (3, 0, 0)


# --- stock lost: reservations shrink, newest first --------------------------------------


@pytest.fixture
def promised(network):
    """NY holds 6 W, promised 3 to an older order and 3 to a newer one."""
    adjust(network, "NY", "W", 6)
    older = allocated(network, ("W", 3))
    newer = allocated(network, ("W", 3))
    return network, older.reference, newer.reference


def test_a_loss_below_what_is_reserved_shrinks_the_newest_reservations_first(promised):
    onhand, older, newer = promised
    adjust(onhand, "NY", "W", -2, reason="damaged")
    older_view, newer_view = (services.sales_orders.get_order(onhand, ref) for ref in (older, newer))
    assert (older_view.status, reserved_by_line(older_view)) == ("allocated", [3])
    assert (newer_view.status, reserved_by_line(newer_view)) == ("backordered", [1])
    assert level(onhand, "W") == (4, 4, 0)
    assert_books_balance(onhand)


def test_a_count_below_what_is_reserved_shrinks_the_reservations_and_backorders(promised):
    onhand, older, newer = promised
    services.counts.post_stock_count(onhand, PostStockCount(location="NY", lines=[StockLine("W", 2)]))
    older_view, newer_view = (services.sales_orders.get_order(onhand, ref) for ref in (older, newer))
    assert reserved_by_line(older_view) == [2] and older_view.status == "backordered"
    assert reserved_by_line(newer_view) == [0] and newer_view.status == "backordered"
    assert level(onhand, "W") == (2, 2, 0)
    assert_books_balance(onhand)


def test_an_order_that_lost_its_reservation_is_allocated_again_where_stock_is(promised):
    onhand, older, newer = promised
    adjust(onhand, "LA", "W", 10)
    adjust(onhand, "NY", "W", -2, reason="damaged")
    newer_view = services.sales_orders.get_order(onhand, newer)
    assert held(newer_view) == [(1, "LA", None, 2), (1, "NY", None, 1)]
    assert newer_view.status == "allocated"
    assert held(services.sales_orders.get_order(onhand, older)) == [(1, "NY", None, 3)]
    assert_books_balance(onhand)


def test_a_loss_of_free_stock_leaves_reservations_alone(promised):
    onhand, older, newer = promised
    adjust(onhand, "NY", "W", 4)
    adjust(onhand, "NY", "W", -4, reason="damaged")
    assert [reserved_by_line(services.sales_orders.get_order(onhand, ref)) for ref in (older, newer)] == [[3], [3]]


def test_reserved_stock_cannot_be_relocated_only_free_stock_moves(promised):
    onhand, _older, _newer = promised
    adjust(onhand, "NY", "W", 1)
    with pytest.raises(InsufficientStock) as error:
        services.relocations.move_stock(onhand, MoveStock(source="NY", destination="LA", lines=[StockLine("W", 2)]))
    (shortage,) = error.value.shortages
    assert (shortage.requested, shortage.available, shortage.basis) == (2, 1, "available")
    services.relocations.move_stock(onhand, MoveStock(source="NY", destination="LA", lines=[StockLine("W", 1)]))
    assert level(onhand, "W", "NY") == (6, 6, 0) and level(onhand, "W", "LA") == (1, 0, 1)
    assert_books_balance(onhand)
