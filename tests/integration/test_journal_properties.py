"""Property-based: random histories over several days, some days posted as they go.

After any history, for every day D: every journal balances; the reconciliation finds no
difference; Σ inventory lines of the journals up to D equals the valuation total at the
end of D to within the journals' cent rounding; at the end the valuation total equals
Σ cost layer values exactly; regenerating the exports is byte-identical.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.errors import Conflict
from onhand.services.orders import NewOrderLine
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.integration.test_valuation_properties import operation, run, setup

ZERO = Decimal(0)
FIRST = date(2026, 3, 2)


@st.composite
def step(draw):
    kind = draw(st.sampled_from(["op", "op", "op", "sell", "next day", "post"]))
    if kind == "op":
        return ("op", draw(operation()))
    if kind == "sell":
        return ("sell", draw(st.sampled_from(["W", "T"])), Decimal(draw(st.integers(1, 5))),
                Decimal(draw(st.integers(1, 9999))) / 100)
    return (kind,)


def sell(onhand, sku, quantity, price) -> None:
    order = services.orders.create_order(onhand, lines=[NewOrderLine(sku, quantity, unit_price=price)])
    services.orders.allocate_order(onhand, order.reference)
    services.shipping.ship_order(onhand, order.reference)


def inventory_lines(journal) -> Decimal:
    return sum((ln.amount for ln in journal.lines if ln.role.value == "inventory"), ZERO)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "moving_average", "specific_lot"]),
    track=st.booleans(),
    steps=st.lists(step(), min_size=1, max_size=14),
)
def test_journals_balance_and_reconcile_with_the_valuation_every_day(backend, method, tea_method, track, steps):
    clock = Clock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as directory, fresh_database(backend, Path(directory)) as url:
        onhand = open_onhand(url, clock=clock)
        try:
            setup(onhand, method, tea_method)
            services.accounting.update_accounting_settings(onhand, track_locations=track)
            for current in steps:
                try:
                    if current[0] == "op":
                        run(onhand, current[1])
                    elif current[0] == "sell":
                        sell(onhand, *current[1:])
                    elif current[0] == "next day":
                        clock.advance(days=1)
                    elif clock.current.date() > FIRST:
                        services.journals.post_journal(onhand, clock.current.date() - timedelta(days=1))
                except Conflict:  # not enough stock: nothing happened
                    continue
            clock.advance(days=1)
            last = clock.current.date() - timedelta(days=1)
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
            first = services.journals.export_journals(onhand, FIRST, last, format="csv").content
            assert services.journals.export_journals(onhand, FIRST, last, format="csv").content == first
        finally:
            onhand.close()
