"""Every movement gets a value: the costing engine wired into posting, end to end through the services."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock
from onhand.domain.orders.commands import ReceiveReturn, ReturnLine, ShipOrder
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, allocated, assert_books_balance
from tests.integration.purchasing_helpers import placed, receive, supplier


@pytest.fixture
def stocked(onhand):
    """W received 10 @ 5.00 and 10 @ 6.00 into NY through purchase orders."""
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "W")
    supplier(onhand)
    return onhand


def _receive_textbook(onhand):
    for cost in ("5.00", "6.00"):
        order = placed(onhand, ("W", 10, cost))
        receive(onhand, order.reference, (1, 10))


def _ship(onhand, quantity):
    view = allocated(onhand, ("W", quantity))
    shipped = services.shipping.ship_order(onhand, ShipOrder(view.reference))
    return shipped.shipments[-1].posting_id, shipped.reference


def _total(onhand, group_by="item"):
    return services.valuation_reports.valuation_report(onhand, group_by=group_by)


@pytest.mark.parametrize(("method", "cogs", "left"), [
    ("fifo", D("80"), D("30")), ("moving_average", D("82.5"), D("27.5")),
])
def test_the_textbook_case_through_a_purchase_order_and_a_sales_order(stocked, method, cogs, left):
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method=method))
    _receive_textbook(stocked)
    posting_id, _ = _ship(stocked, 15)
    values = services.valuation_reports.move_values(stocked, posting_id)
    assert [(v.sku, v.role, v.quantity, v.value) for v in values.moves] == [("W", "shipment", 15, cogs)]
    assert values.total_value == cogs
    report = _total(stocked)
    assert [(ln.sku, ln.location, ln.quantity, ln.value) for ln in report.lines] == [("W", None, 5, left)]
    assert (report.total_quantity, report.total_value) == (5, left)
    assert_books_balance(stocked)


def test_an_item_may_override_the_company_method(stocked):
    assert services.costing.get_item_costing(stocked, "W").method == "fifo"
    costing = services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="W", method="moving_average"))
    assert (costing.method, costing.own_method) == ("moving_average", "moving_average")
    _receive_textbook(stocked)
    posting_id, _ = _ship(stocked, 15)
    assert services.valuation_reports.move_values(stocked, posting_id).total_value == D("82.5")


def test_a_method_changes_from_now_on_once_moves_are_valued(stocked):
    _receive_textbook(stocked)
    assert services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(
        method="moving_average")) == "moving_average"
    costing = services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="W", method="fifo"))
    assert (costing.method, costing.own_method) == ("fifo", "fifo")
    assert services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(
        method="moving_average")) == "moving_average"  # no change
    assert len(services.costing.costing_changes(stocked)) == 2  # (see test_costing_changes.py)


def test_costing_settings_are_validated(stocked):
    with pytest.raises(InvalidInput) as error:
        services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="specific_lot"))
    assert error.value.field == "costing_method"
    with pytest.raises(InvalidInput) as error:
        services.costing.set_item_costing_method(stocked, SetItemCostingMethod(
            sku="W", method="specific_lot"))  # W has no lots
    assert error.value.field == "costing_method"
    with pytest.raises(InvalidInput) as error:
        services.valuation_reports.valuation_report(stocked, group_by="bin")
    assert error.value.field == "group_by"


def test_a_transfer_moves_value_and_changes_no_total(stocked):
    _receive_textbook(stocked)
    before = _total(stocked).total_value
    moved = services.relocations.move_stock(stocked, MoveStock(
        source="NY", destination="LA", lines=[StockLine("W", 12)]))
    (value,) = services.valuation_reports.move_values(stocked, moved.id).moves
    assert (value.role, value.value) == ("transfer", D("62"))  # 10 @ 5.00 and 2 @ 6.00
    report = _total(stocked, "location")
    assert [(ln.location, ln.quantity, ln.value) for ln in report.lines] == [("LA", 12, D("62")), ("NY", 8, D("48"))]
    assert report.total_value == before == D("110")


def test_a_return_comes_back_at_the_cost_it_left_with(stocked):
    _receive_textbook(stocked)
    _, reference = _ship(stocked, 15)
    view = services.returns.receive_return(stocked, ReceiveReturn(reference, location="NY", lines=[ReturnLine(1, 3)]))
    (value,) = services.valuation_reports.move_values(stocked, view.returns[-1].posting_id).moves
    assert (value.role, value.value, value.basis) == ("return", D("16"), "returned")  # 80.00 / 15 × 3
    assert _total(stocked).total_value == D("46")


def test_found_stock_comes_in_at_the_current_cost_and_a_loss_takes_layers(stocked):
    _receive_textbook(stocked)
    found = adjust(stocked, "NY", "W", 2)
    (value,) = services.valuation_reports.move_values(stocked, found.id).moves
    assert (value.role, value.value, value.basis) == ("adjustment_in", D("11"), "current_cost")  # 2 × 5.50
    lost = adjust(stocked, "NY", "W", -11, reason="lost")
    (value,) = services.valuation_reports.move_values(stocked, lost.id).moves
    assert (value.role, value.value) == ("adjustment_out", D("56"))  # 10 @ 5.00, 1 @ 6.00
    assert _total(stocked).total_value == D("65")


def test_stock_with_no_known_cost_is_valued_at_zero(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    found = adjust(onhand, "NY", "W", 4)
    (value,) = services.valuation_reports.move_values(onhand, found.id).moves
    assert (value.value, value.basis) == (0, "no_cost")


def test_a_receipt_in_a_foreign_currency_is_valued_in_the_company_currency(stocked):
    supplier(stocked, code="EU", currency="EUR")
    order = placed(stocked, ("W", 4, "2.50"), supplier="EU")
    receipt = receive(stocked, order.reference, (1, 4), exchange_rate="1.1")
    (value,) = services.valuation_reports.move_values(stocked, receipt.posting_id).moves
    assert (value.role, value.value) == ("receipt", D("11"))


def test_a_build_output_comes_in_at_what_it_consumed_plus_labour_and_overhead(stocked):
    from onhand.services.assemblies.bundles import ComponentLine

    add_item(stocked, "BERRY")
    add_item(stocked, "JAR")
    add_item(stocked, "JAM", kind="assembly")
    services.boms.set_bill_of_materials(
        stocked, "JAM", components=[ComponentLine("BERRY", 2), ComponentLine("JAR", 1)],
        labour_cost="1.25", overhead_cost="0.40",
    )
    order = placed(stocked, ("BERRY", 20, "0.50"), ("JAR", 10, "0.30"))
    receive(stocked, order.reference, (1, 20), (2, 10))
    build = services.builds.create_build_order(stocked, sku="JAM", location="NY", quantity=5)
    done = services.builds.build(stocked, build.reference, quantity=5)
    values = services.valuation_reports.move_values(stocked, done.runs[-1].posting_id).moves
    assert sorted((v.sku, v.role, v.value) for v in values) == [
        ("BERRY", "build_consumption", D("5")), ("JAM", "build_output", D("14.75")),
        ("JAR", "build_consumption", D("1.5")),
    ]
    assert _total(stocked).total_value == D("13") - D("6.5") + D("14.75")
