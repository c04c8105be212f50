"""Returns to supplier: received units sent back, from where they were received, valued out of the layers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.errors import InsufficientStock, InvalidInput
from onhand.services.receiving import ReceiptLine
from onhand.services.supplier_returns import SupplierReturnLine as Back
from tests.integration.helpers import allocated, assert_books_balance, at
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive


@pytest.fixture
def received(onhand):
    """PO line 1: 10 W received @ 5.00 (6 at NY, 4 in bin NY-A1); line 2: TEA lots L1 (3) and L2 (2) @ 2.00."""
    purchasing_setup(onhand)
    order = placed(onhand, ("W", 10, "5.00"), ("TEA", 5, "2.00"))
    receive(onhand, order.reference, (1, 6), ReceiptLine(1, 4, location="NY-A1"),
            ReceiptLine(2, 3, lot="L1"), ReceiptLine(2, 2, lot="L2"))
    return onhand, order.reference


def _send(onhand, reference, *lines, **fields):
    made = [ln if isinstance(ln, Back) else Back(*ln) for ln in lines]
    return services.supplier_returns.return_to_supplier(onhand, reference, lines=made, **fields)


def test_returned_units_leave_for_the_supplier_valued_out_of_the_layers(received):
    onhand, reference = received
    back = _send(onhand, reference, (1, 3, None, "NY-A1"), authorisation="RMA-77")
    assert (back.reference, back.authorisation, back.value) == ("RTS-000001", "RMA-77", D("15"))
    assert [(ln.line_no, ln.sku, ln.location, ln.quantity) for ln in back.lines] == [(1, "W", "NY-A1", 3)]
    posting = services.postings.get_posting(onhand, back.posting_id)
    assert posting.kind == "supplier_return"
    assert [(m.from_location, m.to_location, m.quantity) for m in posting.moves] == [("NY-A1", "SUPPLIER", 3)]
    (value,) = services.valuation.move_values(onhand, back.posting_id).moves
    assert (value.role, value.value, value.basis) == ("supplier_return", D("15"), "layers")
    assert (at(onhand, "W", "NY-A1"), at(onhand, "W", "NY")) == (1, 6)
    order = services.purchase_orders.get_purchase_order(onhand, reference)
    assert [(ln.received, ln.returned) for ln in order.lines] == [(10, 3), (5, 0)]
    assert order.returns == ("RTS-000001",)
    assert services.valuation.valuation_report(onhand).total_value == D("45")  # 35.00 W + 10.00 TEA
    assert_books_balance(onhand)


def test_without_a_place_or_lot_the_units_come_from_where_they_were_received(received):
    onhand, reference = received
    back = _send(onhand, reference, (2, 4), (1, 10))
    assert sorted((ln.sku, ln.location, ln.lot, ln.quantity) for ln in back.lines) == [
        ("TEA", "NY", "L1", 3), ("TEA", "NY", "L2", 1), ("W", "NY", None, 6), ("W", "NY-A1", None, 4),
    ]
    assert back.value == D("58")
    assert [ln.returned for ln in services.purchase_orders.get_purchase_order(onhand, reference).lines] == [10, 4]


def test_returning_more_than_is_left_of_a_line_is_refused_naming_the_field(received):
    onhand, reference = received
    _send(onhand, reference, (1, 7))
    with pytest.raises(InvalidInput) as error:
        _send(onhand, reference, (2, 1), (1, 4))
    assert error.value.field == "lines[1].quantity"
    assert "only 3 of line 1 (W) is left to return (received 10, returned 7)" in error.value.reason
    with pytest.raises(InvalidInput) as error:
        _send(onhand, reference, (2, 3, "L2"))  # only 2 of L2 came in
    assert error.value.field == "lines[0].quantity"
    order = services.purchase_orders.get_purchase_order(onhand, reference)
    assert [ln.returned for ln in order.lines] == [7, 0]  # nothing of the refused returns changed


@pytest.mark.parametrize(("line", "field"), [
    (Back(3, 1), "lines[0].line_no"),
    (Back(2, 1, lot="L9"), "lines[0].lot"),
    (Back(1, 1, lot="L1"), "lines[0].lot"),
    (Back(1, 1, location="NOWHERE"), "lines[0].location"),
    (Back(2, 1, location="NY-A1"), "lines[0].location"),
    (Back(1, 0), "lines[0].quantity"),
])
def test_a_line_that_does_not_match_what_was_received_is_refused(received, line, field):
    onhand, reference = received
    with pytest.raises((InvalidInput, services.supplier_returns.NotFound)) as error:
        _send(onhand, reference, line)
    assert error.value.field == field


def test_only_free_stock_goes_back_to_the_supplier(received):
    onhand, reference = received
    allocated(onhand, ("W", 8))  # promised to a customer: 2 of the 10 are free
    with pytest.raises(InsufficientStock):
        _send(onhand, reference, (1, 5))
    assert _send(onhand, reference, (1, 2, None, "NY-A1")).lines[0].quantity == 2


def test_a_retried_return_with_its_key_posts_once(received):
    onhand, reference = received
    first = _send(onhand, reference, (1, 1), idempotency_key="rts-1")
    again = _send(onhand, reference, (1, 1), idempotency_key="rts-1")
    assert first == again
    assert services.supplier_returns.list_supplier_returns(onhand, reference) == [first]
