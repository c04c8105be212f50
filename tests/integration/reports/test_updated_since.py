"""`updated_since` on the listings a pulling integration reads: orders, purchase orders,
transfers, items and stock levels list only what changed at or after the moment given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from onhand import services
from onhand.domain.catalog.commands import UpdateItem
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import OrderAction
from onhand.domain.transfers.commands import CreateTransfer, NewTransferLine
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place, adjust, allocated, order
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive


def now_on(clock) -> datetime:
    """Move the test clock to the real time (some events are stamped with it) and return it."""
    clock.current = datetime.now(UTC)
    return clock.current


def test_orders_changed_since_a_moment_are_listed_and_others_not(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 10)
    first = order(onhand, ("W", 2))
    clock.advance(minutes=1)
    mark = clock()
    second = order(onhand, ("W", 1))
    assert [o.reference for o in services.sales_orders.list_orders(onhand, updated_since=mark)] == [second.reference]
    clock.advance(minutes=1)
    later = clock()
    services.sales_orders.allocate_order(onhand, OrderAction(first.reference))
    assert [o.reference for o in services.sales_orders.list_orders(onhand, updated_since=later)] == [first.reference]
    assert len(services.sales_orders.list_orders(onhand, updated_since="2000-01-01T00:00:00Z")) == 2


def test_a_purchase_order_received_again_without_a_new_status_is_listed_as_changed(onhand, clock):
    purchasing_setup(onhand)
    po = placed(onhand, ("W", "10", "1.00"))
    receive(onhand, po.reference, (1, "3"))
    clock.advance(minutes=5)
    mark = clock()
    assert services.purchase_orders.list_purchase_orders(onhand, updated_since=mark) == []
    receive(onhand, po.reference, (1, "3"))  # still partially received: only the lines changed
    (changed,) = services.purchase_orders.list_purchase_orders(onhand, updated_since=mark)
    assert changed.reference == po.reference and changed.status == "partially_received"


def test_transfers_changed_since_a_moment(onhand, clock):
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "ROAD", kind="transit")
    add_item(onhand, "W")
    made = services.transfer_orders.create_transfer(
        onhand, CreateTransfer(source="NY", destination="LA", lines=[NewTransferLine("W", "1")]))
    clock.advance(minutes=1)
    assert services.transfer_orders.list_transfers(onhand, updated_since=clock()) == []
    assert [t.reference for t in services.transfer_orders.list_transfers(
        onhand, updated_since=clock() - timedelta(minutes=1))] == [made.reference]


def test_items_and_stock_levels_changed_since_a_moment_follow_the_change_feed(onhand, clock):
    now_on(clock)
    add_place(onhand, "NY")
    add_item(onhand, "A")
    add_item(onhand, "B")
    adjust(onhand, "NY", "A", 5)
    adjust(onhand, "NY", "B", 5)
    settle(onhand)
    mark = now_on(clock)
    assert services.items.list_items(onhand, updated_since=mark) == []
    assert services.stock.stock_levels(onhand, updated_since=mark).levels == ()
    services.items.update_item(onhand, UpdateItem("B", name="Bee"))
    allocated(onhand, ("A", 2))  # a reservation: A's reserved and available changed
    now_on(clock)
    assert [i.sku for i in services.items.list_items(onhand, updated_since=mark)] == ["B"]
    (level,) = services.stock.stock_levels(onhand, updated_since=mark).levels
    assert (level.sku, level.reserved, level.available) == ("A", 2, 3)
    assert {lv.sku for lv in services.stock.stock_levels(onhand, updated_since=mark - timedelta(hours=1)).levels} == {
        "A", "B"}


@pytest.mark.parametrize("given", ["yesterday", "2026-03-02T09:00:00", "0001-01-01T00:00:00+01:00",
                                   "2026-13-01T00:00Z"])
def test_an_updated_since_that_is_not_a_moment_with_an_offset_is_refused(onhand, given):
    for listing in (services.sales_orders.list_orders, services.purchase_orders.list_purchase_orders,
                    services.transfer_orders.list_transfers, services.items.list_items, services.stock.stock_levels):
        with pytest.raises(InvalidInput) as caught:
            listing(onhand, updated_since=given)
        assert caught.value.field == "updated_since"
