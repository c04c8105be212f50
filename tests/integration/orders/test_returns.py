"""Customer returns through the services, on every database.

Goods come back against a shipped order into a chosen location, never more than was
shipped on that line and lot; into sellable stock they serve backorders, into a
quarantine (non-sellable) location they change nothing that can be sold.
"""

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from onhand.domain.orders.commands import OrderAction, ReceiveReturn, ReturnLine, ShipLine, ShipOrder
from tests.integration.helpers import (
    add_item,
    add_place,
    adjust,
    allocated,
    assert_books_balance,
    held,
    level,
    move_count,
    reserved_by_line,
)


@pytest.fixture(autouse=True)
def books_balance_after_every_scenario(onhand):
    yield
    assert_books_balance(onhand)


@pytest.fixture
def shipped(onhand):
    """SO-000001 shipped 3 W and 3 TEA (2 of lot L1, 1 of lot L2) from NY."""
    add_item(onhand, "W")
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "RETURNS", sellable=False)
    adjust(onhand, "NY", "W", 3)
    adjust(onhand, "NY", "TEA", 2, lot="L1", expiry_date="2026-05-01")
    adjust(onhand, "NY", "TEA", 1, lot="L2", expiry_date="2026-08-01")
    view = allocated(onhand, ("W", 3), ("TEA", 3))
    services.shipping.ship_order(onhand, ShipOrder(view.reference))
    return onhand


def give_back(onhand, *lines, location="NY", reference="SO-000001", idempotency_key=None, **options):
    return services.returns.receive_return(
        onhand, ReceiveReturn(reference, location=location, lines=[ReturnLine(*ln) for ln in lines], **options),
        idempotency_key=idempotency_key,
    )


def test_a_return_into_sellable_stock_brings_it_back_on_hand_and_available(shipped):
    view = give_back(shipped, (1, 2))
    assert [(ln.shipped, ln.returned, ln.open) for ln in view.lines] == [(3, 2, 0), (3, 0, 0)]
    assert view.status == "shipped"  # a return does not reopen the order
    assert level(shipped, "W") == (2, 0, 2)
    history = services.stock.movement_history(shipped, sku="W", limit=1)
    assert [(m.from_location, m.to_location, m.quantity, m.posting_kind, m.reference) for m in history] == [
        ("CUSTOMER", "NY", 2, "return", "RMA-000001")
    ]
    assert_books_balance(shipped)


def test_a_return_into_a_quarantine_location_leaves_available_unchanged(shipped):
    view = give_back(shipped, (1, 1, "defective", "damaged"), (2, 1, "customer_return", "opened", "L1"),
                     location="RETURNS")
    (record,) = view.returns  # the order shows the RMA with its reasons and conditions
    assert record.reference == "RMA-000001"
    assert [(ln.line_no, ln.sku, ln.location, ln.lot, ln.quantity, ln.reason, ln.condition) for ln in record.lines] == [
        (1, "W", "RETURNS", None, 1, "defective", "damaged"),
        (2, "TEA", "RETURNS", "L1", 1, "customer_return", "opened"),
    ]
    assert level(shipped, "W") == (1, 0, 0)
    assert level(shipped, "TEA") == (1, 0, 0)
    assert level(shipped, "W", "RETURNS") == (1, 0, 0)
    assert_books_balance(shipped)


def test_lots_come_back_only_as_far_as_they_were_shipped_and_not_yet_returned(shipped):
    before = move_count(shipped)
    with pytest.raises(Conflict, match="only 1 was shipped"):
        give_back(shipped, (2, 2, "customer_return", "new", "L2"))
    give_back(shipped, (2, 1, "customer_return", "new", "L2"))
    with pytest.raises(Conflict, match="only 0 was shipped"):
        give_back(shipped, (2, 1, "customer_return", "new", "L2"))
    assert move_count(shipped) == before + 1
    give_back(shipped, (2, 2, "customer_return", "new", "L1"))
    assert level(shipped, "TEA", lot="L1") == (2, 0, 2) and level(shipped, "TEA", lot="L2") == (1, 0, 1)
    assert_books_balance(shipped)


def test_the_lines_of_one_return_add_up_against_what_was_shipped(shipped):
    before = move_count(shipped)
    with pytest.raises(Conflict, match=r"lines\[1\]\.quantity"):
        give_back(shipped, (1, 2), (1, 2))
    assert move_count(shipped) == before and level(shipped, "W") == (0, 0, 0)


def test_a_lot_never_shipped_on_the_line_cannot_come_back(shipped):
    adjust(shipped, "NY", "TEA", 5, lot="L3")
    with pytest.raises(Conflict, match="lot L3"):
        give_back(shipped, (2, 1, "customer_return", "new", "L3"))


def test_nothing_comes_back_from_an_order_that_shipped_nothing(shipped):
    adjust(shipped, "NY", "W", 5)
    view = allocated(shipped, ("W", 2))
    with pytest.raises(Conflict, match="only 0 was shipped"):
        give_back(shipped, (1, 1), reference=view.reference)


@pytest.mark.parametrize(
    ("line", "error", "field"),
    [
        (ReturnLine(9, 1), InvalidInput, "lines[0].line_no"),
        (ReturnLine(1, 0), InvalidInput, "lines[0].quantity"),
        (ReturnLine(1, 1, condition="smelly"), InvalidInput, "lines[0].condition"),
        (ReturnLine(1, 1, reason="because"), NotFound, "lines[0].reason"),
        (ReturnLine(2, 1), InvalidInput, "lines[0].lot"),
        (ReturnLine(2, 1, lot="NOPE"), NotFound, "lines[0].lot"),
    ],
)
def test_a_bad_return_line_is_refused_naming_the_field_and_nothing_is_written(shipped, line, error, field):
    before = move_count(shipped)
    with pytest.raises(error) as raised:
        services.returns.receive_return(shipped, ReceiveReturn("SO-000001", location="NY", lines=[line]))
    assert raised.value.field == field
    assert move_count(shipped) == before


def test_a_return_needs_lines_and_an_internal_location_and_a_unique_reference(shipped):
    with pytest.raises(InvalidInput) as error:
        services.returns.receive_return(shipped, ReceiveReturn("SO-000001", location="NY", lines=[]))
    assert error.value.field == "lines"
    with pytest.raises(InvalidInput) as error:
        give_back(shipped, (1, 1), location="CUSTOMER")
    assert error.value.field == "location"
    give_back(shipped, (1, 1), return_reference="RMA-77")
    with pytest.raises(AlreadyExists):
        give_back(shipped, (1, 1), return_reference="RMA-77")
    assert level(shipped, "W") == (1, 0, 1)


def test_a_return_without_a_reference_is_numbered_even_when_a_manual_one_took_the_next_number(shipped):
    give_back(shipped, (1, 1), return_reference="RMA-000002")
    give_back(shipped, (1, 1))


def test_a_return_with_an_idempotency_key_is_received_once(shipped):
    first = give_back(shipped, (1, 1), idempotency_key="rma-1")
    again = give_back(shipped, (1, 1), idempotency_key="rma-1")
    assert again == first and level(shipped, "W") == (1, 0, 1)


def test_a_cancelled_order_can_still_take_back_what_it_shipped(shipped):
    adjust(shipped, "NY", "W", 2)
    view = allocated(shipped, ("W", 4))
    services.shipping.ship_order(shipped, ShipOrder(view.reference, lines=[ShipLine(1, 1)]))
    services.sales_orders.cancel_order(shipped, OrderAction(view.reference))
    after = give_back(shipped, (1, 1), reference=view.reference)
    assert after.status == "cancelled" and after.lines[0].returned == 1
    assert level(shipped, "W") == (2, 0, 2)
    assert_books_balance(shipped)


# --- returns serve backorders -----------------------------------------------------------


def test_goods_returned_into_sellable_stock_are_allocated_to_waiting_orders(shipped):
    waiting = allocated(shipped, ("W", 2))
    assert waiting.status == "backordered"
    give_back(shipped, (1, 1))
    served = services.sales_orders.get_order(shipped, waiting.reference)
    assert held(served) == [(1, "NY", None, 1)] and served.status == "backordered"
    give_back(shipped, (1, 2))
    served = services.sales_orders.get_order(shipped, waiting.reference)
    assert reserved_by_line(served) == [2] and served.status == "allocated"
    assert level(shipped, "W") == (3, 2, 1)
    assert_books_balance(shipped)


def test_goods_returned_into_quarantine_are_not_allocated(shipped):
    waiting = allocated(shipped, ("W", 2), ("TEA", Decimal(1)))
    give_back(shipped, (1, 3), (2, 2, "customer_return", "new", "L1"), location="RETURNS")
    still = services.sales_orders.get_order(shipped, waiting.reference)
    assert held(still) == [] and still.status == "backordered"
    assert_books_balance(shipped)
