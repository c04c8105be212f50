"""Property-based: the journals balance and reconcile over random days with changes of costing method.

As `test_journal_properties.py`, with the company's method and the lot-tracked item's own
changed at random moments (and some receipts backdated across them): every journal
balances, every day reconciles with the valuation, and the valuation total equals Σ
cost layer values — a change of method moves no value, so it books nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.errors import Conflict
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.accounting.test_journal_properties import FIRST, assert_days_balance_and_reconcile, sell, step
from tests.integration.valuation.test_valuation_history_properties import change_method, method_change, run_backdated
from tests.integration.valuation.test_valuation_properties import operation, run, setup

ZERO = Decimal(0)


@st.composite
def backdated(draw):
    kind, sku, lot, place, quantity, cost = draw(operation())
    return ("back", ("buy" if kind in ("ship", "move") else kind, sku, lot, place, quantity, cost),
            draw(st.integers(1, 5)))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "lifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "lifo", "moving_average", "specific_lot"]),
    steps=st.lists(st.one_of(step(), step(), method_change().map(lambda c: ("change", c[0])), backdated()),
                   min_size=1, max_size=14),
)
def test_journals_balance_and_reconcile_across_changes_of_method(backend, method, tea_method, steps):
    clock = Clock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with fresh_database(backend) as url:
        onhand = open_onhand(url, clock=clock)
        try:
            setup(onhand, method, tea_method)
            for current in steps:
                clock.advance(hours=1)
                try:
                    if current[0] == "op":
                        run(onhand, current[1])
                    elif current[0] == "sell":
                        sell(onhand, *current[1:])
                    elif current[0] == "change":
                        change_method(onhand, current[1])
                    elif current[0] == "back":
                        # Within the day, so that no posted day is touched (a correction is another test's).
                        moment = max(clock() - timedelta(hours=current[2]),
                                     clock().replace(hour=0, minute=0, second=1))
                        run_backdated(onhand, current[1], moment)
                    elif current[0] == "next day":
                        clock.advance(days=1)
                    elif clock.current.date() > FIRST:
                        services.journals.post_journal(onhand, PostJournal(
                            day=clock.current.date() - timedelta(days=1)))
                except Conflict:  # not enough stock: nothing happened
                    continue
            clock.advance(days=1)
            assert_days_balance_and_reconcile(onhand, clock.current.date() - timedelta(days=1))
            with onhand.reading() as uow:
                layers = sum((pool.value for pool in uow.valuation.pools().values()), ZERO)
            assert services.valuation_reports.valuation_report(onhand).total_value == layers
        finally:
            onhand.close()
