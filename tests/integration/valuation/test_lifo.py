"""LIFO through the services: issues take the newest layers, backdating and changes of method as under FIFO."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from unittest import mock

import pytest

from onhand import services
from onhand.domain.orders.commands import ShipOrder
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod
from onhand.services.purchasing.receiving import ReceiptLine
from onhand.services.valuation import posting_values as valuing
from tests.integration.helpers import add_item, add_place, allocated, assert_books_balance
from tests.integration.purchasing_helpers import placed, receive, supplier


@pytest.fixture
def stocked(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    add_item(onhand, "G")
    supplier(onhand)
    return onhand


def _buy(onhand, sku, quantity, cost, **fields):
    order = placed(onhand, (sku, quantity, cost))
    return receive(onhand, order.reference, ReceiptLine(1, quantity), **fields)


def _ship(onhand, sku, quantity):
    view = allocated(onhand, (sku, quantity))
    posting = services.shipping.ship_order(onhand, ShipOrder(view.reference)).shipments[-1].posting_id
    return services.valuation_reports.move_values(onhand, posting).total_value


def _total(onhand, **fields):
    report = services.valuation_reports.valuation_report(onhand, **fields)
    return report.total_quantity, report.total_value


def test_lifo_issues_take_the_newest_receipts_and_the_days_journal_books_them_to_the_cent(stocked, clock):
    assert services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="lifo")) == "lifo"
    _buy(stocked, "W", 10, "5.00")
    clock.advance(hours=1)
    _buy(stocked, "W", 10, "6.00")
    clock.advance(hours=1)
    _buy(stocked, "W", 3, "7.01")
    clock.advance(hours=1)
    assert _ship(stocked, "W", 15) == D("91.03")  # 3 @ 7.01 + 10 @ 6.00 + 2 @ 5.00
    assert _ship(stocked, "W", 1) == D("5.00")
    assert _total(stocked) == (7, D("35.00"))  # the oldest receipt's units stay
    day = clock().date()
    clock.advance(days=1)
    journal = services.journals.get_journal(stocked, day).journal
    assert journal.debits == journal.credits
    lines = {ln.role.value: ln.amount for ln in journal.lines}
    assert (lines["goods_received"], lines["cogs"], lines["inventory"]) == (D("-131.03"), D("96.03"), D("35.00"))
    assert services.reconciliation.reconcile(stocked, start=day, end=day).reconciled
    assert_books_balance(stocked)


@pytest.mark.parametrize("every", [1, 1000])
def test_a_backdated_receipt_revalues_the_later_lifo_issues(stocked, clock, every):
    services.costing.set_item_costing_method(stocked, SetItemCostingMethod(sku="W", method="lifo"))
    start = clock()
    with mock.patch.object(valuing, "CHECKPOINT_EVERY", every):
        _buy(stocked, "W", 10, "5.00")
        late = placed(stocked, ("W", 10, "6.00"))
        clock.advance(hours=2)
        assert _ship(stocked, "W", 4) == D("20.00")
        clock.advance(hours=1)
        _buy(stocked, "W", 10, "7.00")
        clock.advance(hours=1)
        assert _ship(stocked, "W", 12) == D("80.00")  # 10 @ 7.00 + 2 @ 5.00
        clock.advance(hours=1)
        receive(stocked, late.reference, (1, 10), effective_at=start + timedelta(hours=1))
    # By hand: the late 10 @ 6.00 is the newest layer at the first issue (4 @ 6.00 = 24.00),
    # then 10 @ 7.00 + 2 @ 6.00 = 82.00; left 10 @ 5.00 + 4 @ 6.00.
    shipments = [v.value for v in _values(stocked) if v.role == "shipment"]
    assert shipments == [D("24.00"), D("82.00")]
    assert _total(stocked) == (14, D("74.00"))
    assert _total(stocked, at=start + timedelta(hours=2, minutes=30)) == (16, D("86.00"))
    clock.advance(hours=1)
    assert _ship(stocked, "W", 5) == D("29.00")  # 4 @ 6.00 + 1 @ 5.00, from the stored pools
    assert_books_balance(stocked)


def test_fifo_to_lifo_with_history_keeps_the_layers_and_a_backdated_receipt_crosses_the_change(stocked, clock):
    start = clock()
    _buy(stocked, "W", 10, "5.00")
    late = placed(stocked, ("W", 10, "4.00"))
    clock.advance(hours=1)
    _buy(stocked, "W", 10, "6.00")
    clock.advance(hours=1)
    assert _ship(stocked, "W", 5) == D("25.00")  # FIFO
    clock.advance(hours=1)
    services.costing.set_company_costing_method(stocked, SetCompanyCostingMethod(method="lifo"))
    assert _total(stocked) == (15, D("85.00"))  # 5 @ 5.00 + 10 @ 6.00, unchanged by the change
    changes = services.costing.costing_changes(stocked)
    assert [(c.method, c.previous) for c in changes] == [("lifo", "fifo")]
    clock.advance(hours=1)
    assert _ship(stocked, "W", 12) == D("70.00")  # LIFO: 10 @ 6.00 + 2 @ 5.00
    clock.advance(hours=1)
    receive(stocked, late.reference, (1, 10), effective_at=start + timedelta(minutes=30))
    # From scratch: FIFO takes the 5 @ 5.00 first still (the late receipt is newer); at the change
    # 5 @ 5.00, 10 @ 4.00, 10 @ 6.00; LIFO then takes 10 @ 6.00 + 2 @ 4.00 = 68.00.
    assert [v.value for v in _values(stocked) if v.role == "shipment"] == [D("25.00"), D("68.00")]
    assert _total(stocked) == (13, D("57.00"))
    assert _total(stocked, at=start + timedelta(hours=2, minutes=30)) == (25, D("125.00"))
    day = clock().date()
    clock.advance(days=1)
    assert services.reconciliation.reconcile(stocked, start=day, end=day).reconciled
    assert_books_balance(stocked)


def _values(onhand):
    """W's valued moves in effective order, as stored."""
    with onhand.reading() as uow:
        return uow.valuation_history.item_moves_after(1, None)
