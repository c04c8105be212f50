"""Changing a costing method with history: stock re-layered at the change, value unchanged, later moves under it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from unittest import mock

import pytest

from onhand import services
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.catalog.commands import CreateLot
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.orders.commands import ShipOrder
from onhand.domain.purchasing.commands import AddLandedCosts
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod
from onhand.services.purchasing.landed_costs import NewLandedCost
from onhand.services.purchasing.receiving import ReceiptLine
from onhand.services.valuation import posting_values as valuing
from tests.integration.helpers import add_item, add_place, allocated, assert_books_balance
from tests.integration.purchasing_helpers import placed, receive, supplier


@pytest.fixture
def stocked(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    add_item(onhand, "TEA", tracking="lot")
    for code in ("L1", "L2"):
        services.lots.create_lot(onhand, CreateLot(sku="TEA", code=code))
    supplier(onhand)
    return onhand


def _buy(onhand, sku, quantity, cost, lot=None, **fields):
    order = placed(onhand, (sku, quantity, cost))
    return receive(onhand, order.reference, ReceiptLine(1, quantity, lot=lot), **fields)


def _ship(onhand, sku, quantity, lot=None):
    view = allocated(onhand, (sku, quantity, lot) if lot else (sku, quantity))
    posting = services.shipping.ship_order(onhand, ShipOrder(view.reference)).shipments[-1].posting_id
    return services.valuation_reports.move_values(onhand, posting).total_value


def _total(onhand, **fields):
    report = services.valuation_reports.valuation_report(onhand, **fields)
    return report.total_quantity, report.total_value


def test_fifo_to_moving_average_the_textbook_case(stocked, clock):
    _buy(stocked, "W", 10, "5.00")
    clock.advance(hours=1)
    _buy(stocked, "W", 10, "6.00")
    clock.advance(hours=1)
    assert _total(stocked) == (20, D("110"))
    assert services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(
        method="moving_average")) == "moving_average"
    assert _total(stocked) == (20, D("110"))  # re-layered as 20 @ 5.50, nothing gained or lost
    with stocked.reading() as uow:
        ((_key, pool),) = [(k, p) for k, p in uow.valuation.pools().items() if k[0] == 1]
    assert [(layer.quantity, layer.value) for layer in pool.layers] == [(20, D("110"))]
    clock.advance(hours=1)
    assert _ship(stocked, "W", 15) == D("82.50")
    assert _total(stocked) == (5, D("27.50"))
    assert_books_balance(stocked)


def test_moving_average_to_fifo_keeps_the_average_as_the_oldest_layer(stocked, clock):
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(
        method="moving_average"))  # nothing valued yet
    _buy(stocked, "W", 10, "5.00")
    _buy(stocked, "W", 10, "6.00")
    clock.advance(hours=1)
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="fifo"))
    assert _total(stocked) == (20, D("110"))
    clock.advance(hours=1)
    _buy(stocked, "W", 10, "8.00")
    assert _ship(stocked, "W", 25) == D("150.00")  # 20 @ 5.50, then 5 @ 8.00
    assert _total(stocked) == (5, D("40.00"))


def test_an_items_own_method_to_specific_lot_gives_each_lot_the_pools_average_and_back(stocked, clock):
    _buy(stocked, "TEA", 10, "5.00", lot="L1")
    _buy(stocked, "TEA", 10, "6.00", lot="L2")
    clock.advance(hours=1)
    costing = services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="TEA", method="specific_lot"))
    assert (costing.method, costing.own_method) == ("specific_lot", "specific_lot")
    report = services.valuation_reports.valuation_report(stocked, group_by="lot")
    assert [(ln.lot, ln.quantity, ln.value) for ln in report.lines] == [("L1", 10, D("55")), ("L2", 10, D("55"))]
    clock.advance(hours=1)
    _buy(stocked, "TEA", 10, "9.00", lot="L1")
    assert _ship(stocked, "TEA", 5, "L2") == D("27.50")
    clock.advance(hours=1)
    # Back to the company's FIFO: the lots' layers in receipt order (L1 @ 5.50, L2 @ 5.50, L1 @ 9.00).
    assert services.costing.set_item_costing_method(stocked, SetItemCostingMethod(
        sku="TEA", method=None)).method == "fifo"
    assert _total(stocked) == (25, D("172.50"))
    assert _ship(stocked, "TEA", 12, "L1") == D("55") + D("11")
    assert services.costing.get_item_costing(stocked, "W").method == "fifo"  # W was never touched


def test_specific_lot_needs_lots_and_a_change_refused_changes_nothing(stocked, clock):
    _buy(stocked, "W", 10, "5.00")
    with pytest.raises(InvalidInput) as error:
        services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="W", method="specific_lot"))
    assert error.value.field == "costing_method"
    with pytest.raises(InvalidInput) as error:
        services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="specific_lot"))
    assert error.value.field == "costing_method"
    assert services.costing.costing_changes(stocked) == []


def test_a_change_on_a_locked_day_is_refused(stocked, clock):
    _buy(stocked, "W", 10, "5.00")
    clock.advance(days=2)
    services.accounting_settings.update_accounting_settings(stocked, UpdateAccountingSettings(
        lock_date=(clock() - timedelta(days=1)).date()))
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(
        method="moving_average"))  # today is open
    clock.advance(days=1)
    services.accounting_settings.update_accounting_settings(stocked, UpdateAccountingSettings(lock_date=clock().date()))
    with pytest.raises(InvalidInput) as error:
        services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="fifo"))
    assert error.value.field == "costing_method"
    assert services.costing.get_company_costing_method(stocked) == "moving_average"


def test_stock_without_layers_must_be_given_opening_layers_before_a_change(stocked, clock):
    _buy(stocked, "W", 10, "5.00")
    with stocked.writing() as uow:  # as a database valued before 0007 looks
        uow.costing_changes.drop_pools([1])
    with pytest.raises(Conflict, match="costing_method"):
        services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="moving_average"))
    assert services.costing.get_company_costing_method(stocked) == "fifo"


@pytest.mark.parametrize("every", [1, 1000])
def test_a_backdated_receipt_before_the_change_is_valued_under_the_old_method_and_carried_across(
        stocked, clock, every):
    start = clock()
    with mock.patch.object(valuing, "CHECKPOINT_EVERY", every):
        _buy(stocked, "W", 10, "5.00")
        late = placed(stocked, ("W", 10, "6.50"))
        clock.advance(hours=3)
        services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="moving_average"))
        with stocked.reading() as uow:  # asked with the methods, as a posting asks: when it was made
            assert uow.valuation.methods([1]) == ("moving_average", {}, clock())
        clock.advance(hours=1)
        assert _ship(stocked, "W", 5) == D("25")  # the average of 10 @ 5.00
        _buy(stocked, "W", 4, "7.00")
        clock.advance(hours=1)
        receive(stocked, late.reference, (1, 10), effective_at=start + timedelta(hours=1))
    # By hand, from scratch: FIFO until the change: 10 @ 5.00 + 10 @ 6.50 = 115.00 → 20 @ 5.75;
    # the shipment takes 5 @ 5.75 = 28.75 (86.25 left for 15); 4 @ 7.00 blend in: 19 worth 114.25.
    report = services.valuation_reports.valuation_report(stocked)
    assert (report.total_quantity, report.total_value) == (19, D("114.25"))
    shipments = [v for v in _values(stocked) if v.role == "shipment"]
    assert [v.value for v in shipments] == [D("28.75")]
    # Before the change, the report shows the FIFO layers; at the change, the same total.
    assert _total(stocked, at=start + timedelta(hours=2)) == (20, D("115"))
    assert _total(stocked, at=start + timedelta(hours=3, minutes=30)) == (20, D("115"))
    # A posting after the change goes on from the stored pools: 19 @ 114.25 / 19.
    clock.advance(hours=1)
    assert _ship(stocked, "W", 19) == D("114.25")
    assert_books_balance(stocked)


def _values(onhand):
    """W's valued moves in effective order (role, value, …), as stored."""
    with onhand.reading() as uow:
        return uow.valuation_history.item_moves_after(1, None)


def test_the_history_of_changes_is_listed(stocked, clock):
    _buy(stocked, "TEA", 10, "5.00", lot="L1")
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="moving_average"))
    clock.advance(minutes=5)
    services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="TEA", method="specific_lot"))
    clock.advance(minutes=5)
    services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="TEA", method=""))
    found = services.costing.costing_changes(stocked)
    assert [(c.sku, c.method, c.previous) for c in found] == [
        (None, "moving_average", "fifo"), ("TEA", "specific_lot", None), ("TEA", None, "specific_lot")]
    assert [c.sku for c in services.costing.costing_changes(stocked, sku="W")] == [None]
    assert _total(stocked) == (10, D("50"))


def test_the_days_journal_balances_and_reconciles_across_a_change(stocked, clock):
    _buy(stocked, "W", 10, "5.00")
    _buy(stocked, "W", 10, "6.00")
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="moving_average"))
    _ship(stocked, "W", 15)
    day = clock().date()
    clock.advance(days=1)
    journal = services.journals.get_journal(stocked, day).journal
    assert journal.debits == journal.credits
    lines = {ln.role.value: ln.amount for ln in journal.lines}
    assert lines["inventory"] == D("27.50") and lines["cogs"] == D("82.50")
    assert services.reconciliation.reconcile(stocked, start=day, end=day).reconciled


def test_a_landed_cost_added_to_a_receipt_before_the_change_reaches_the_average_after_it(stocked, clock):
    first = _buy(stocked, "W", 10, "5.00")
    _buy(stocked, "W", 10, "6.00")
    clock.advance(hours=1)
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="moving_average"))
    clock.advance(hours=1)
    assert _ship(stocked, "W", 5) == D("27.50")
    services.landed_costs.add_landed_costs(stocked, AddLandedCosts(first.reference, costs=[NewLandedCost("freight",
        "10.00")]))
    # FIFO until the change: 10 @ 5.00 + 10.00 freight + 10 @ 6.00 = 120.00 → 20 @ 6.00; 5 shipped at 6.00.
    assert _total(stocked) == (15, D("90"))
    assert [v.value for v in _values(stocked) if v.role == "shipment"] == [D("30")]
