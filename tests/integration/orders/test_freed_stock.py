"""Stock that stops being promised goes to the orders waiting for it, oldest first.

Cancelling, editing or re-routing an order, releasing a lot from quarantine and making
a place sellable again all free stock; places that stop being sellable give back what
was promised there. `verify` proves no line holds more than it still needs.
"""

import pytest
from sqlalchemy import text

from onhand import services
from onhand.domain.catalog.commands import SetLotStatus, UpdateLocation
from onhand.domain.orders.commands import ConfirmPick, OrderAction, ShipLineFrom, UpdateOrder
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance, held, level


@pytest.fixture
def shop(onhand):
    add_item(onhand, "W")
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    yield onhand
    assert_books_balance(onhand)


def test_cancelling_an_order_gives_its_stock_to_the_oldest_waiting_order(shop):
    adjust(shop, "NY", "W", 5)
    first = allocated(shop, ("W", 5))
    older = allocated(shop, ("W", 3))
    newer = allocated(shop, ("W", 3))
    assert (older.status, newer.status) == ("backordered", "backordered")
    services.sales_orders.cancel_order(shop, OrderAction(first.reference))
    assert services.sales_orders.get_order(shop, older.reference).status == "allocated"
    waiting = services.sales_orders.get_order(shop, newer.reference)
    assert (waiting.status, waiting.lines[0].reserved) == ("backordered", 2)
    assert level(shop, "W") == (5, 5, 0)


def test_shrinking_an_order_gives_what_it_no_longer_needs_to_a_waiting_order(shop):
    adjust(shop, "NY", "W", 4)
    big = allocated(shop, ("W", 4))
    waiting = allocated(shop, ("W", 2))
    services.sales_orders.update_order(shop, UpdateOrder(big.reference, lines=[NewOrderLine("W", 2)]))
    assert services.sales_orders.get_order(shop, big.reference).lines[0].reserved == 2
    assert services.sales_orders.get_order(shop, waiting.reference).status == "allocated"


def test_moving_a_line_to_another_place_frees_its_old_stock_for_waiting_orders(shop):
    adjust(shop, "NY", "W", 2)
    adjust(shop, "LA", "W", 2)
    moved = allocated(shop, NewOrderLine("W", 2, location="NY"))
    allocated(shop, NewOrderLine("W", 2, location="LA"))
    waiting = allocated(shop, ("W", 2))
    assert waiting.status == "backordered"
    services.sales_orders.ship_line_from(shop, ShipLineFrom(moved.reference, line_no=1, location="LA"))
    assert held(services.sales_orders.get_order(shop, waiting.reference)) == [(1, "NY", None, 2)]


def test_a_lot_released_from_quarantine_serves_the_orders_waiting_for_it(shop):
    adjust(shop, "NY", "TEA", 3, lot="L1", expiry_date="2027-01-01")
    services.lots.set_lot_status(shop, SetLotStatus(sku="TEA", code="L1", status="quarantined"))
    waiting = allocated(shop, ("TEA", 3))
    assert waiting.status == "backordered"
    services.lots.set_lot_status(shop, SetLotStatus(sku="TEA", code="L1", status="released"))
    assert held(services.sales_orders.get_order(shop, waiting.reference)) == [(1, "NY", "L1", 3)]


def test_a_place_that_stops_being_sellable_gives_back_its_promises_and_orders_move_elsewhere(shop):
    adjust(shop, "NY", "W", 3)
    view = allocated(shop, NewOrderLine("W", 3))
    assert held(view) == [(1, "NY", None, 3)]
    adjust(shop, "LA", "W", 3)
    services.locations.update_location(shop, UpdateLocation(code="NY", sellable=False))
    assert held(services.sales_orders.get_order(shop, view.reference)) == [(1, "LA", None, 3)]
    assert level(shop, "W", "NY") == (3, 0, 0)


def test_picked_units_stay_promised_when_their_place_stops_being_sellable(shop):
    adjust(shop, "NY", "W", 3)
    view = allocated(shop, ("W", 3))
    services.picking.confirm_pick(
        shop, ConfirmPick(view.reference, picks=[services.picking.PickConfirmation("W", "NY", 2)])
    )
    services.locations.update_location(shop, UpdateLocation(code="NY", sellable=False))
    after = services.sales_orders.get_order(shop, view.reference)
    assert (after.lines[0].reserved, after.lines[0].picked, after.status) == (2, 2, "backordered")


def test_a_place_made_sellable_again_serves_the_orders_waiting_for_its_stock(shop):
    adjust(shop, "NY", "W", 3)
    services.locations.update_location(shop, UpdateLocation(code="NY", sellable=False))
    waiting = allocated(shop, ("W", 2))
    assert waiting.status == "backordered"
    services.locations.update_location(shop, UpdateLocation(code="NY", sellable=True))
    assert held(services.sales_orders.get_order(shop, waiting.reference)) == [(1, "NY", None, 2)]


def test_verify_finds_a_line_promised_more_than_it_needs_and_a_cancelled_order_holding_stock(shop):
    adjust(shop, "NY", "W", 10)
    greedy = allocated(shop, ("W", 2))
    cancelled = allocated(shop, ("W", 1))
    with shop.engine.begin() as conn:  # damage the books behind the services' back
        conn.execute(text("UPDATE reservations SET quantity = quantity * 2"))
        conn.execute(text("UPDATE balances SET reserved = reserved * 2"))
        conn.execute(text("UPDATE sales_orders SET cancelled_at = created_at WHERE reference = :r"),
                     {"r": cancelled.reference})
    report = services.integrity.verify(shop)
    assert not report.ok
    assert report.order_errors == (
        f"order {greedy.reference} line 1: 4 reserved but only 2 is still to ship",
        f"order {cancelled.reference} line 1: cancelled but still holds 2 reserved",
    )
    with shop.engine.begin() as conn:  # repair the books for the fixture's final check
        conn.execute(text("UPDATE reservations SET quantity = quantity / 2"))
        conn.execute(text("UPDATE balances SET reserved = reserved / 2"))
        conn.execute(text("UPDATE sales_orders SET cancelled_at = NULL"))
