"""Returns to supplier: received units sent back, from where they were received, valued out of the
layers — their own receipts' layers first, unless the method blends them."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.errors import InsufficientStock, InvalidInput
from onhand.domain.purchasing.commands import ReturnToSupplier
from onhand.domain.valuation.commands import SetCompanyCostingMethod
from onhand.services.purchasing.receiving import ReceiptLine
from onhand.services.purchasing.supplier_returns import SupplierReturnLine as Back
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
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
    key = fields.pop("idempotency_key", None)
    made = [ln if isinstance(ln, Back) else Back(*ln) for ln in lines]
    return services.supplier_returns.return_to_supplier(onhand, ReturnToSupplier(reference, lines=made, **fields),
        idempotency_key=key)


def test_returned_units_leave_for_the_supplier_valued_out_of_the_layers(received):
    onhand, reference = received
    back = _send(onhand, reference, (1, 3, None, "NY-A1"), authorisation="RMA-77")
    assert (back.reference, back.authorisation, back.value) == ("RTS-000001", "RMA-77", D("15"))
    assert [(ln.line_no, ln.sku, ln.location, ln.quantity) for ln in back.lines] == [(1, "W", "NY-A1", 3)]
    posting = services.postings.get_posting(onhand, back.posting_id)
    assert posting.kind == "supplier_return"
    assert [(m.from_location, m.to_location, m.quantity) for m in posting.moves] == [("NY-A1", "SUPPLIER", 3)]
    (value,) = services.valuation_reports.move_values(onhand, back.posting_id).moves
    assert (value.role, value.value, value.basis) == ("supplier_return", D("15"), "layers")
    assert (at(onhand, "W", "NY-A1"), at(onhand, "W", "NY")) == (1, 6)
    order = services.purchase_orders.get_purchase_order(onhand, reference)
    assert [(ln.received, ln.returned) for ln in order.lines] == [(10, 3), (5, 0)]
    assert order.returns == ("RTS-000001",)
    assert services.valuation_reports.valuation_report(onhand).total_value == D("45")  # 35.00 W + 10.00 TEA
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


def test_without_a_place_free_stock_is_taken_first(received):
    onhand, reference = received
    allocated(onhand, ("W", 5))
    free = {lv.location: lv.available for lv in services.stock.stock_levels(onhand, sku="W", group_by="bin").levels}
    assert free == {"NY": 1, "NY-A1": 4}  # the promise holds 5 of NY's 6
    back = _send(onhand, reference, (1, 4))  # NY first by id, but only 1 is free there
    assert [(ln.location, ln.quantity) for ln in back.lines] == [("NY", 1), ("NY-A1", 3)]
    assert_books_balance(onhand)


def test_a_retried_return_with_its_key_posts_once(received):
    onhand, reference = received
    first = _send(onhand, reference, (1, 1), idempotency_key="rts-1")
    again = _send(onhand, reference, (1, 1), idempotency_key="rts-1")
    assert first == again
    assert services.supplier_returns.list_supplier_returns(onhand, reference) == [first]


@st.composite
def receipts_and_returns(draw):
    """Receipts of line 1 (W) into NY or its bin, then returns of random sizes, places and lots."""
    received = draw(st.lists(st.tuples(st.sampled_from(["NY", "NY-A1"]), st.integers(1, 6),
                                       st.sampled_from(["4.00", "5.00", "6.50"])), min_size=1, max_size=4))
    returns = draw(st.lists(st.tuples(st.integers(1, 9), st.sampled_from([None, "NY", "NY-A1"])),
                            min_size=1, max_size=5))
    return received, returns


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=receipts_and_returns())
def test_returns_never_exceed_what_was_received_and_value_leaves_the_layers_exactly(backend, case):
    received, returns = case
    with fresh_database(backend) as url:
        onhand = open_onhand(url)
        try:
            purchasing_setup(onhand)
            model = defaultdict(D)  # place → on hand
            value_in = D(0)
            for place, quantity, cost in received:
                order = placed(onhand, ("W", quantity, cost))
                receive(onhand, order.reference, ReceiptLine(1, quantity, location=place))
                model[(order.reference, place)] += quantity
                value_in += quantity * D(cost)
            value_out = D(0)
            for quantity, place in returns:
                reference = next((ref for (ref, _p), q in sorted(model.items()) if q > 0), None)
                if reference is None:
                    break
                there = sum((q for (ref, p), q in model.items() if ref == reference and place in (None, p)), D(0))
                try:
                    back = _send(onhand, reference, Back(1, quantity, location=place))
                except InvalidInput as error:
                    assert quantity > there and error.field in ("lines[0].quantity", "lines[0].location")
                    continue
                assert quantity <= there
                value_out += back.value
                for line in back.lines:
                    model[(reference, line.location)] -= line.quantity
            on_hand = {p: sum((q for (_r, pl), q in model.items() if pl == p), D(0)) for p in ("NY", "NY-A1")}
            assert (at(onhand, "W", "NY"), at(onhand, "W", "NY-A1")) == (on_hand["NY"], on_hand["NY-A1"])
            assert all(q >= 0 for q in model.values())
            report = services.valuation_reports.valuation_report(onhand)
            assert report.total_value == value_in - value_out
            assert services.opening_valuation.unvalued_stock(onhand) == []
            assert_books_balance(onhand)
        finally:
            onhand.close()


@pytest.mark.parametrize(("method", "values", "left", "backdated"), [
    # The second order's own 4 @ 8.00, not the oldest @ 5.00 (FIFO) or the newest @ 9.00 (LIFO).
    ("fifo", [D("90.00"), D("32.00")], D("98.00"), [D("90.00"), D("32.00")]),
    ("lifo", [D("90.00"), D("32.00")], D("98.00"), [D("90.00"), D("32.00")]),
    # The average forbids telling them apart: 220.00 / 30 each, then 2 @ 1.00 more before them all.
    ("moving_average", [D("73.333333"), D("29.333333")], D("117.333334"), [D("69.375"), D("27.75")]),
])
def test_a_return_relieves_its_own_receipts_cost_unless_the_method_blends_it(
        onhand, clock, method, values, left, backdated):
    purchasing_setup(onhand)
    services.costing.set_company_costing_method(onhand, SetCompanyCostingMethod(method=method))
    orders = []
    for cost in ("5.00", "8.00", "9.00"):
        orders.append(placed(onhand, ("W", 10, cost)))
        receive(onhand, orders[-1].reference, (1, 10))
        clock.advance(hours=1)
    assert [_send(onhand, orders[2].reference, (1, 10)).value,
            _send(onhand, orders[1].reference, (1, 4)).value] == values
    assert services.valuation_reports.valuation_report(onhand).total_value == left
    # A receipt backdated before them all re-runs the history under the same rule.
    early = placed(onhand, ("W", 2, "1.00"))
    receive(onhand, early.reference, (1, 2), effective_at=clock() - timedelta(hours=5))
    assert [v.value for v in _item_values(onhand, "supplier_return")] == backdated
    assert_books_balance(onhand)


def test_a_returned_lot_leaves_at_its_own_cost_from_a_fifo_pool_of_all_lots(onhand):
    purchasing_setup(onhand)
    first = placed(onhand, ("TEA", 5, "2.00"))
    receive(onhand, first.reference, ReceiptLine(1, 5, lot="L1"))
    second = placed(onhand, ("TEA", 5, "3.00"))
    receive(onhand, second.reference, ReceiptLine(1, 5, lot="L2"))
    assert _send(onhand, second.reference, (1, 2, "L2")).value == D("6.00")  # FIFO alone: L1's 2.00
    assert services.valuation_reports.valuation_report(onhand).total_value == D("19.00")


def _item_values(onhand, role):
    with onhand.reading() as uow:
        return [v for v in uow.valuation_history.item_moves_after(1, None) if v.role == role]
