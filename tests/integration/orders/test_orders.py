"""Sales orders through the services: create, look up, edit, cancel; on every database."""

from datetime import date
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import AlreadyExists, Conflict, IdempotencyConflict, InvalidInput, NotFound
from onhand.domain.orders.commands import (
    ConfirmPick,
    CreateOrder,
    OrderAction,
    PackageSpec,
    PackOrder,
    PickConfirmation,
    ShipLine,
    ShipLineFrom,
    ShipOrder,
    UpdateOrder,
)
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


@pytest.fixture(autouse=True)
def books_balance_after_every_scenario(onhand):
    yield
    assert_books_balance(onhand)


@pytest.fixture
def shop(onhand):
    add_item(onhand, "W-1")
    add_item(onhand, "W-2")
    add_item(onhand, "TEA", tracking="lot", unit="kg")
    add_place(onhand, "NY")
    add_place(onhand, "Q", kind="warehouse", sellable=False)
    adjust(onhand, "NY", "W-1", 10)
    adjust(onhand, "NY", "W-2", 4)
    adjust(onhand, "NY", "TEA", "2.5", lot="L1", expiry_date="2027-01-01")
    return onhand


def test_a_new_order_is_open_reserves_nothing_and_numbers_itself(shop):
    created = order(shop, ("W-1", 2), NewOrderLine("TEA", "0.25", unit_price="12.50"), customer="Ann")
    assert created.reference == "SO-000001"
    assert created.status == "open" and created.channel == "manual" and created.currency == "USD"
    assert created.requested_ship_date == date(2026, 3, 2)  # today, in the company's time zone
    assert [(ln.line_no, ln.sku, ln.quantity, ln.open, ln.reserved) for ln in created.lines] == [
        (1, "W-1", 2, 2, 0),
        (2, "TEA", Decimal("0.25"), Decimal("0.25"), 0),
    ]
    assert created.lines[1].unit_price == Decimal("12.50")
    assert level(shop, "W-1") == (10, 0, 10)
    assert services.sales_orders.get_order(shop, "SO-000001") == created


def test_an_order_keeps_its_ship_to_address_and_reference(shop):
    address = ShipTo(name="Ann", line1="1 Main St", city="Brooklyn", region="NY", postcode="11201",
                     country="us", latitude=40.69, longitude=-73.99)
    created = order(shop, ("W-1", 1), reference="WEB-1001", ship_to=address, currency="eur",
                    exchange_rate="1.08", requested_ship_date="2026-03-09")
    assert created.reference == "WEB-1001"
    assert created.ship_to == ShipTo("Ann", "1 Main St", None, "Brooklyn", "NY", "11201", "US", 40.69, -73.99)
    assert created.currency == "EUR" and created.requested_ship_date == date(2026, 3, 9)
    assert created.exchange_rate == Decimal("1.08")


def test_sending_the_same_channel_order_again_returns_the_first_order(shop):
    first = order(shop, ("W-1", 2), channel="Shopify", external_id="#1001")
    again = order(shop, ("W-1", 2), channel="shopify", external_id="#1001")
    assert again.reference == first.reference
    assert len(services.sales_orders.list_orders(shop)) == 1
    assert services.sales_orders.find_order(shop, channel="shopify", external_id="#1001").reference == first.reference
    other_channel = order(shop, ("W-1", 2), channel="amazon", external_id="#1001")
    assert other_channel.reference != first.reference


def test_an_idempotency_key_replays_the_first_result_and_refuses_a_different_request(shop):
    first = order(shop, ("W-1", 2), idempotency_key="k-1")
    assert order(shop, ("W-1", 2), idempotency_key="k-1") == first
    with pytest.raises(IdempotencyConflict):
        order(shop, ("W-1", 3), idempotency_key="k-1")
    assert len(services.sales_orders.list_orders(shop)) == 1


def test_allocating_twice_with_one_key_allocates_once(shop):
    created = order(shop, ("W-1", 3))
    first = services.sales_orders.allocate_order(
        shop, OrderAction(created.reference), idempotency_key="alloc-1",
    )
    again = services.sales_orders.allocate_order(
        shop, OrderAction(created.reference), idempotency_key="alloc-1",
    )
    assert again == first and level(shop, "W-1") == (10, 3, 7)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (NewOrderLine("NOPE", 1), "lines[0].sku"),
        (NewOrderLine("W-1", 0), "lines[0].quantity"),
        (NewOrderLine("W-1", "1.5"), "lines[0].quantity"),
        (NewOrderLine("W-1", -1), "lines[0].quantity"),
        (NewOrderLine("W-1", 1, unit_price=-1), "lines[0].unit_price"),
        (NewOrderLine("W-1", 1, lot="L1"), "lines[0].lot"),
        (NewOrderLine("TEA", 1, lot="NOT-A-LOT"), "lines[0].lot"),
        (NewOrderLine("W-1", 1, location="MARS"), "lines[0].location"),
        (NewOrderLine("W-1", 1, location="Q"), "lines[0].location"),
        (NewOrderLine("W-1", 1, location="CUSTOMER"), "lines[0].location"),
    ],
)
def test_a_bad_line_is_refused_naming_the_field_and_nothing_is_created(shop, line, field):
    with pytest.raises((InvalidInput, NotFound)) as error:
        services.sales_orders.create_order(shop, CreateOrder(lines=[NewOrderLine("W-1", 1), line][1:]))
    assert error.value.field == field
    assert services.sales_orders.list_orders(shop) == []


def test_an_order_needs_lines_a_valid_reference_and_a_unique_reference(shop):
    with pytest.raises(InvalidInput) as error:
        services.sales_orders.create_order(shop, CreateOrder(lines=[]))
    assert error.value.field == "lines"
    with pytest.raises(InvalidInput) as error:
        order(shop, ("W-1", 1), reference="bad ref")
    assert error.value.field == "reference"
    order(shop, ("W-1", 1), reference="R-1")
    with pytest.raises(AlreadyExists):
        order(shop, ("W-1", 1), reference="R-1")
    with pytest.raises(InvalidInput) as error:
        order(shop, ("W-1", 1), ship_to=ShipTo(country="USA"))
    assert error.value.field == "ship_to.country"


def test_an_order_without_a_reference_is_numbered_even_when_a_manual_reference_took_the_next_number(shop):
    order(shop, ("W-1", 1), reference="SO-000002")
    automatic = order(shop, ("W-1", 1))
    assert automatic.reference == "SO-000003"


def test_orders_are_found_by_reference_or_by_channel_and_listed_newest_first(shop):
    a = order(shop, ("W-1", 1), channel="shopify", external_id="A")
    b = order(shop, ("W-1", 20), channel="amazon", external_id="B")
    services.sales_orders.allocate_order(shop, OrderAction(b.reference))
    assert [o.reference for o in services.sales_orders.list_orders(shop)] == [b.reference, a.reference]
    assert [o.reference for o in services.sales_orders.list_orders(shop, status="backordered")] == [b.reference]
    assert [o.reference for o in services.sales_orders.list_orders(shop, channel="shopify")] == [a.reference]
    assert [o.reference for o in services.sales_orders.list_orders(shop, limit=1, offset=1)] == [a.reference]
    with pytest.raises(NotFound):
        services.sales_orders.get_order(shop, "SO-999")
    with pytest.raises(NotFound):
        services.sales_orders.find_order(shop, channel="shopify", external_id="B")
    with pytest.raises(InvalidInput) as error:
        services.sales_orders.list_orders(shop, status="lost")
    assert error.value.field == "status"


def test_listing_by_channel_accepts_the_channel_as_it_was_given_when_creating(shop):
    created = order(shop, ("W-1", 1), channel="Shopify", external_id="A")
    assert [o.reference for o in services.sales_orders.list_orders(shop, channel="Shopify")] == [created.reference]


# --- editing --------------------------------------------------------------------------


def test_editing_an_open_order_replaces_its_lines_and_reserves_nothing(shop):
    created = order(shop, ("W-1", 2))
    edited = services.sales_orders.update_order(
        shop, UpdateOrder(created.reference, lines=[NewOrderLine("W-2", 3), NewOrderLine("W-1", 1)], customer="Bo"),
    )
    assert [(ln.line_no, ln.sku, ln.quantity) for ln in edited.lines] == [(1, "W-2", 3), (2, "W-1", 1)]
    assert edited.customer == "Bo" and edited.status == "open"
    assert level(shop, "W-1") == (10, 0, 10)


def test_editing_the_lines_of_an_allocated_order_allocates_it_again(shop):
    created = allocated(shop, ("W-1", 4), ("W-2", 4))
    assert level(shop, "W-2") == (4, 4, 0)
    edited = services.sales_orders.update_order(
        shop, UpdateOrder(created.reference, lines=[NewOrderLine("W-1", 6), NewOrderLine("W-2", 1)]),
    )
    assert edited.status == "allocated"
    assert reserved_by_line(edited) == [6, 1]
    assert level(shop, "W-1") == (10, 6, 4) and level(shop, "W-2") == (4, 1, 3)
    assert_books_balance(shop)


def test_editing_an_allocated_order_beyond_stock_backorders_the_rest(shop):
    created = allocated(shop, ("W-1", 4))
    edited = services.sales_orders.update_order(
        shop, UpdateOrder(created.reference, lines=[NewOrderLine("W-1", 12)]),
    )
    assert edited.status == "backordered"
    assert (edited.lines[0].reserved, edited.lines[0].backordered) == (10, 2)
    assert_books_balance(shop)


def test_changing_the_ship_date_of_an_allocated_order_allocates_it_again_under_the_new_date(shop):
    # TEA lot L1 expires 2027-01-01: it is good for March, not for a ship date in 2027.
    created = allocated(shop, ("TEA", 1))
    assert created.status == "allocated"
    edited = services.sales_orders.update_order(
        shop, UpdateOrder(created.reference, requested_ship_date="2027-02-01"),
    )
    assert edited.status == "backordered" and edited.lines[0].reserved == 0
    assert level(shop, "TEA") == (Decimal("2.5"), 0, Decimal("2.5"))
    assert_books_balance(shop)


def test_changing_only_the_customer_keeps_the_reservations(shop):
    created = allocated(shop, ("W-1", 4))
    edited = services.sales_orders.update_order(shop, UpdateOrder(created.reference, customer="Cy"))
    assert held(edited) == held(created) and edited.customer == "Cy"


def test_an_order_that_shipped_something_can_no_longer_be_edited(shop):
    created = allocated(shop, ("W-1", 4))
    services.shipping.ship_order(shop, ShipOrder(created.reference, lines=[ShipLine(1, 1)]))
    with pytest.raises(Conflict, match="partially_shipped"):
        services.sales_orders.update_order(
            shop, UpdateOrder(created.reference, lines=[NewOrderLine("W-1", 1)]),
        )
    assert services.sales_orders.get_order(shop, created.reference).lines[0].quantity == 4


def test_editing_an_order_with_packed_goods_is_a_conflict_not_a_database_error(shop):
    created = allocated(shop, ("W-1", 2))
    services.picking.confirm_pick(shop, ConfirmPick(created.reference, picks=[PickConfirmation("W-1", "NY", 2)]))
    services.shipping.pack_order(shop, PackOrder(created.reference, packages=[PackageSpec(contents=[(1, 2)])]))
    with pytest.raises(Conflict):
        services.sales_orders.update_order(
            shop, UpdateOrder(created.reference, lines=[NewOrderLine("W-1", 1)]),
        )
    assert level(shop, "W-1") == (10, 2, 8)


# --- cancelling -----------------------------------------------------------------------


def test_cancelling_releases_every_reservation(shop):
    created = allocated(shop, ("W-1", 4), ("TEA", "0.5"))
    services.picking.confirm_pick(shop, ConfirmPick(created.reference, picks=[PickConfirmation("W-1", "NY", 1)]))
    cancelled = services.sales_orders.cancel_order(shop, OrderAction(created.reference))
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert held(cancelled) == []
    assert [(ln.reserved, ln.open, ln.backordered) for ln in cancelled.lines] == [(0, 0, 0), (0, 0, 0)]
    assert level(shop, "W-1") == (10, 0, 10) and level(shop, "TEA") == (Decimal("2.5"), 0, Decimal("2.5"))
    assert_books_balance(shop)


def test_cancelling_after_a_partial_shipment_keeps_what_was_shipped(shop):
    created = allocated(shop, ("W-1", 4))
    services.shipping.ship_order(shop, ShipOrder(created.reference, lines=[ShipLine(1, 1)]))
    cancelled = services.sales_orders.cancel_order(shop, OrderAction(created.reference))
    assert cancelled.status == "cancelled"
    assert (cancelled.lines[0].shipped, cancelled.lines[0].reserved) == (1, 0)
    assert level(shop, "W-1") == (9, 0, 9)
    assert_books_balance(shop)


def test_a_cancelled_order_cannot_be_allocated_edited_picked_shipped_or_cancelled_again(shop):
    created = allocated(shop, ("W-1", 4))
    services.sales_orders.cancel_order(shop, OrderAction(created.reference))
    attempts = [
        lambda: services.sales_orders.allocate_order(shop, OrderAction(created.reference)),
        lambda: services.sales_orders.update_order(shop, UpdateOrder(created.reference, customer="X")),
        lambda: services.sales_orders.ship_line_from(
            shop, ShipLineFrom(created.reference, line_no=1, location="NY"),
        ),
        lambda: services.picking.confirm_pick(shop, ConfirmPick(created.reference, picks=[PickConfirmation("W-1",
            "NY", 1)])),
        lambda: services.shipping.ship_order(shop, ShipOrder(created.reference)),
        lambda: services.shipping.pack_order(shop, PackOrder(created.reference, packages=[PackageSpec(contents=[(1,
            1)])])),
        lambda: services.sales_orders.cancel_order(shop, OrderAction(created.reference)),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict, match="cancelled"):
            attempt()
    assert level(shop, "W-1") == (10, 0, 10)
    assert_books_balance(shop)


def test_a_fully_shipped_order_cannot_be_cancelled(shop):
    created = allocated(shop, ("W-1", 2))
    services.shipping.ship_order(shop, ShipOrder(created.reference))
    with pytest.raises(Conflict, match="shipped"):
        services.sales_orders.cancel_order(shop, OrderAction(created.reference))
    assert services.sales_orders.get_order(shop, created.reference).status == "shipped"
