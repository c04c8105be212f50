"""A customer return is worth what its shipments left with, as they are valued now: a
shipment re-valued later (a backdated receipt, a landed cost added later) takes its
returns along, and what the returned units cost when they leave again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.orders.commands import ReceiveReturn, ReturnLine, ShipOrder
from onhand.domain.purchasing.commands import AddLandedCosts
from tests.integration.helpers import add_item, add_place, allocated, assert_books_balance
from tests.integration.purchasing_helpers import placed, receive, supplier


@pytest.fixture
def stocked(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    supplier(onhand)
    return onhand


def _ship(onhand, quantity):
    view = allocated(onhand, ("W", quantity))
    return view.reference, services.shipping.ship_order(onhand, ShipOrder(view.reference)).shipments[-1].posting_id


def _return(onhand, reference, quantity):
    view = services.returns.receive_return(onhand, ReceiveReturn(reference, location="NY", lines=[ReturnLine(1,
        quantity)]))
    return view.returns[-1].posting_id


def _value(onhand, posting_id):
    (value,) = services.valuation_reports.move_values(onhand, posting_id).moves
    return value.value, value.basis


def _layers(onhand):
    with onhand.reading() as uow:
        return sorted((layer.quantity, layer.value) for pool in uow.valuation.pools().values() for layer in pool.layers)


def test_a_backdated_receipt_re_values_the_shipment_and_its_return(stocked, clock):
    start = clock()
    clock.advance(days=2)
    receive(stocked, placed(stocked, ("W", 10, "5.00")).reference, (1, 10))
    late = placed(stocked, ("W", 10, "3.00"))
    clock.advance(days=1)
    order, shipment = _ship(stocked, 4)
    clock.advance(hours=1)
    returned = _return(stocked, order, 1)
    assert _value(stocked, shipment) == (D("20"), "layers")
    assert _value(stocked, returned) == (D("5"), "returned")
    clock.advance(days=1)
    receive(stocked, late.reference, (1, 10), effective_at=start + timedelta(days=1))  # before the first
    assert _value(stocked, shipment) == (D("12"), "layers")  # 4 @ 3.00: the older layer leaves first
    assert _value(stocked, returned) == (D("3"), "returned")  # the cost it left with, now
    assert _layers(stocked) == [(D(1), D(3)), (D(6), D(18)), (D(10), D(50))]
    report = services.valuation_reports.valuation_report(stocked)
    assert (report.total_quantity, report.total_value) == (17, D("71"))
    assert_books_balance(stocked)


def test_a_landed_cost_added_later_reaches_the_return_and_the_returned_unit_when_it_leaves(stocked, clock):
    receipt = receive(stocked, placed(stocked, ("W", 10, "5.00")).reference, (1, 10))
    clock.advance(hours=1)
    order, shipment = _ship(stocked, 4)
    clock.advance(hours=1)
    returned = _return(stocked, order, 1)
    clock.advance(hours=1)
    _later, resold = _ship(stocked, 7)  # the 6 left of the receipt, then the returned unit
    assert [_value(stocked, p)[0] for p in (shipment, returned, resold)] == [D("20"), D("5"), D("35")]
    clock.advance(days=1)
    services.landed_costs.add_landed_costs(
        stocked, AddLandedCosts(receipt.reference, costs=[services.landed_costs.NewLandedCost(kind="duty",
            amount="10.00")]))
    # 6.00 a unit now: the shipment, the return (the cost it left with) and the resale follow.
    assert [_value(stocked, p)[0] for p in (receipt.posting_id, shipment, returned, resold)] == [
        D("60"), D("24"), D("6"), D("42")]
    assert _layers(stocked) == []
    assert services.valuation_reports.valuation_report(stocked).total_value == 0
    assert_books_balance(stocked)


def test_a_return_of_two_shipments_is_worth_their_value_per_unit_together(stocked, clock):
    receive(stocked, placed(stocked, ("W", 10, "5.00")).reference, (1, 10))
    receive(stocked, placed(stocked, ("W", 10, "6.00")).reference, (1, 10))
    clock.advance(hours=1)
    view = allocated(stocked, ("W", 12))
    services.shipping.ship_order(stocked, ShipOrder(view.reference, lines=[services.shipping.ShipLine(1, 8)]))
    clock.advance(hours=1)
    services.shipping.ship_order(stocked, ShipOrder(view.reference))
    clock.advance(hours=1)
    returned = _return(stocked, view.reference, 3)
    assert _value(stocked, returned) == (D("15.5"), "returned")  # (40.00 + 22.00) / 12 × 3


def test_a_re_valued_return_of_a_posted_day_is_corrected_in_the_next_open_day(stocked, clock):
    start = clock()  # 2026-03-02, 09:00 UTC
    day = start.date()
    receive(stocked, placed(stocked, ("W", 10, "5.00")).reference, (1, 10))
    late = placed(stocked, ("W", 10, "3.00"))
    clock.advance(hours=1)
    order, _shipment = _ship(stocked, 4)
    clock.advance(hours=1)
    returned = _return(stocked, order, 1)
    clock.advance(days=1)
    services.journals.post_journal(stocked, PostJournal(day=day))
    receive(stocked, late.reference, (1, 10), effective_at=start - timedelta(hours=1))  # day 1, 08:00
    assert _value(stocked, returned) == (D("3"), "returned")
    (posted,) = services.reconciliation.reconcile(stocked, start=day, end=day).days
    assert ("return", D("3")) in [(m.role, m.inventory_value) for m in posted.moves]  # changed since posted
    following = day + timedelta(days=1)
    nxt = services.journals.get_journal(stocked, following).journal
    cogs = [ln.amount for ln in nxt.corrections if ln.description.startswith("Cost of goods sold")]
    assert sum(cogs, D(0)) == D("-6.00")  # the shipment 8.00 less, less the return's 2.00 less
    assert nxt.debits == nxt.credits
    (today,) = services.reconciliation.reconcile(stocked, start=following, end=following).days
    assert today.difference == 0  # the corrections are booked by the open day
