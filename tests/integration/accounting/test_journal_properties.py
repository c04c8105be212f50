"""Property-based: random histories over several days, some days posted as they go.

Sales are in the company's currency or in EUR at a random exchange rate; some are partly
returned, refunded at the line's price, at a refund price or not at all.

After any history, for every day D: every journal balances; the reconciliation finds no
difference; Σ inventory lines of the journals up to D equals the valuation total at the
end of D to within the journals' cent rounding; at the end the valuation total equals
Σ cost layer values exactly; the exact revenue and refunds the journals are made of are
Σ quantity × price × rate of what shipped and came back, and no posted day needs a
correction of them; regenerating the exports is byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings
from onhand.domain.errors import Conflict
from onhand.domain.orders.commands import CreateOrder, OrderAction, ReceiveReturn, ReturnLine, ShipOrder
from onhand.services.accounting.journal_book import REFUND, SALE, JournalBook
from onhand.services.orders.sales_orders import NewOrderLine
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.valuation.test_valuation_properties import operation, run, setup

ZERO = Decimal(0)
FIRST = date(2026, 3, 2)


@st.composite
def step(draw):
    kind = draw(st.sampled_from(["op", "op", "op", "sell", "sell", "return", "next day", "post"]))
    if kind == "op":
        return ("op", draw(operation()))
    if kind == "sell":
        rate = draw(st.one_of(st.none(), st.integers(1, 3_000_000).map(lambda n: Decimal(n) / 1_000_000)))
        return ("sell", draw(st.sampled_from(["W", "T"])), Decimal(draw(st.integers(1, 5))),
                Decimal(draw(st.integers(1, 9999))) / 100, rate)
    if kind == "return":
        refund = draw(st.one_of(st.none(), st.integers(0, 9999).map(lambda n: Decimal(n) / 100)))
        return ("return", draw(st.integers(0, 20)), Decimal(draw(st.integers(1, 5))), refund)
    return (kind,)


@dataclass
class Sold:
    """What the test knows of a shipped order (maybe in part): its price, rate, and what is
    left to return per place and lot."""

    reference: str
    price: Decimal
    rate: Decimal
    left: dict[tuple[str, str | None], Decimal]  # (location, lot) → shipped − returned


def sell(onhand, sku, quantity, price, rate) -> Sold:
    currency = {"currency": "EUR", "exchange_rate": rate} if rate is not None else {}
    order = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine(sku, quantity, unit_price=price)], **currency)
    )
    services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
    view = services.shipping.ship_order(onhand, ShipOrder(order.reference))
    left: dict[tuple[str, str | None], Decimal] = {}
    for shipment in view.shipments:
        for line in shipment.lines:
            left[(line.location, line.lot)] = left.get((line.location, line.lot), ZERO) + line.quantity
    return Sold(view.reference, price, rate if rate is not None else Decimal(1), left)


def give_back(onhand, sold: Sold, quantity, refund) -> Decimal:
    """Return up to `quantity` of the order's first place and lot; the refund it is worth."""
    (location, lot), left = next(iter(sold.left.items()))
    quantity = min(quantity, left)
    services.returns.receive_return(onhand, ReceiveReturn(sold.reference, location=location,
                                    lines=[ReturnLine(1, quantity, lot=lot, refund_unit_price=refund)]))
    sold.left[(location, lot)] = left - quantity
    if not sold.left[(location, lot)]:
        del sold.left[(location, lot)]
    return quantity * (sold.price if refund is None else refund) * sold.rate


def exact(onhand, day, kind) -> Decimal:
    with onhand.reading() as uow:
        sums = JournalBook(uow).current(day)
    return sum((value for (k, *_), (value, _v) in sums.items() if k == kind), ZERO)


def inventory_lines(journal) -> Decimal:
    return sum((ln.amount for ln in journal.lines if ln.role.value == "inventory"), ZERO)


def assert_days_balance_and_reconcile(onhand, last: date) -> list[date]:
    """Every day from FIRST to `last`: its journal balances, the inventory its journals add up
    to is the reconciliation's journal balance, within half a cent per inventory line of the
    valuation, and the last day's valuation total is Σ cost layer values. The days, in order."""
    days = [FIRST + timedelta(days=n) for n in range((last - FIRST).days + 1)]
    report = services.reconciliation.reconcile(onhand, start=FIRST, end=last)
    assert report.reconciled, report
    balance, lines_so_far = ZERO, 0
    for day, reconciled in zip(days, report.days, strict=True):
        journal = services.journals.get_journal(onhand, day).journal
        assert journal.debits == journal.credits
        balance += inventory_lines(journal)
        lines_so_far += sum(1 for ln in journal.lines if ln.role.value == "inventory")
        assert reconciled.journal_balance == balance
        assert abs(balance - reconciled.valuation_total) <= Decimal("0.005") * lines_so_far
    with onhand.reading() as uow:
        layers = sum((pool.value for pool in uow.valuation.pools().values()), ZERO)
    assert report.days[-1].valuation_total == layers
    return days


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "lifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "lifo", "moving_average", "specific_lot"]),
    track=st.booleans(),
    steps=st.lists(step(), min_size=1, max_size=14),
)
def test_journals_balance_and_reconcile_with_the_valuation_every_day(backend, method, tea_method, track, steps):
    clock = Clock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with fresh_database(backend) as url:
        onhand = open_onhand(url, clock=clock)
        try:
            setup(onhand, method, tea_method)
            services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(
                track_locations=track))
            orders: list[Sold] = []
            revenue = refunds = ZERO
            for current in steps:
                try:
                    if current[0] == "op":
                        run(onhand, current[1])
                    elif current[0] == "sell":
                        orders.append(sell(onhand, *current[1:]))
                        revenue += sum(orders[-1].left.values(), ZERO) * current[3] * orders[-1].rate
                    elif current[0] == "return":
                        open_orders = [sold for sold in orders if sold.left]
                        if open_orders:
                            refunds += give_back(onhand, open_orders[current[1] % len(open_orders)], *current[2:])
                    elif current[0] == "next day":
                        clock.advance(days=1)
                    elif clock.current.date() > FIRST:
                        services.journals.post_journal(onhand, PostJournal(
                            day=clock.current.date() - timedelta(days=1)))
                except Conflict:  # not enough stock: nothing happened
                    continue
            clock.advance(days=1)
            days = assert_days_balance_and_reconcile(onhand, clock.current.date() - timedelta(days=1))
            last = days[-1]
            assert sum((exact(onhand, day, SALE) for day in days), ZERO) == revenue
            assert sum((exact(onhand, day, REFUND) for day in days), ZERO) == refunds
            for day in days:  # a sale or a return is booked on its own (open) day: nothing to correct
                corrected = services.journals.get_journal(onhand, day).journal.corrections
                assert not [ln for ln in corrected if ln.role.value in ("revenue", "sales_returns", "sales_clearing")]
            first = services.journals.export_journals(onhand, FIRST, last, format="csv").content
            assert services.journals.export_journals(onhand, FIRST, last, format="csv").content == first
        finally:
            onhand.close()
