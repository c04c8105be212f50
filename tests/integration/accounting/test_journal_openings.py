"""Opening valuations in the daily summary journal: stock that predates valuation gets
its value booked (Inventory against the opening-balance account, the settled deficit to
COGS) on the day the opening valuation is recorded, and reconciles to zero."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, update

from onhand import services
from onhand.adapters.db.tables.opening_values import opening_values
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, move_values
from onhand.bootstrap import open_onhand
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings
from onhand.domain.errors import Conflict
from onhand.domain.valuation.commands import ValueOpeningStock
from onhand.services.valuation.opening import OpeningCost
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.accounting.test_journal_properties import sell, step
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.valuation.test_valuation_properties import operation, run, setup

DAY = date(2026, 3, 2)  # the test clock's day (company time zone UTC)


@pytest.fixture
def opened(onhand):
    """W: 10 at NY, 5 at LA posted before valuation; 3 lost at LA before it was valued;
    then valued at 2.50 (NY) and 4.00 (LA: 5 units, 3 of them owed: variance 12); 2 lost at NY."""
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 10, unit_cost="1")
    adjust(onhand, "LA", "W", 5)
    with onhand.engine.begin() as conn:  # what a database whose stock predates revision 0007 looks like
        for table in (cost_layers, cost_pools, move_values):
            conn.execute(delete(table))
    adjust(onhand, "LA", "W", -3, reason="lost")  # leaves at no cost: owed to the pool
    made = services.opening_valuation.value_opening_stock(
        onhand, ValueOpeningStock(
            lines=[OpeningCost("W", "2.50", "NY"), OpeningCost("W", "4", "LA")], reference="go-live"))
    assert [(ln.location, ln.value, ln.variance) for ln in made.lines] == [("NY", D(25), 0), ("LA", D(20), D(12))]
    adjust(onhand, "NY", "W", -2, reason="lost")  # out of the opening layer: 5.00
    return onhand


def _lines(journal):
    return [(ln.account, ln.description, ln.amount) for ln in journal.lines]


def test_the_opening_valuation_is_booked_on_its_day_and_reconciles(opened, clock):
    view = services.journals.get_journal(opened, DAY)
    assert _lines(view.journal) == [
        ("310", "Inventory adjustments", D("5.00")),
        ("310", "Cost of goods sold", D("12.00")),  # the 3 units lost before valuation, at the opening cost
        ("630", "Inventory asset", D("28.00")),  # 25 + 20 − 12 − 5
        ("840", "Opening balance", D("-45.00")),
    ]
    assert view.balanced
    assert services.valuation_reports.valuation_report(opened).total_value == D(28)
    clock.advance(days=1)
    (day,) = services.reconciliation.reconcile(opened, start=DAY).days
    assert (day.valuation_total, day.journal_balance, day.difference) == (D(28), D("28.00"), 0)
    for fmt in ("xero-json", "csv"):
        first = services.journals.export_journals(opened, DAY, format=fmt).content
        assert services.journals.export_journals(opened, DAY, format=fmt).content == first
    posted = services.journals.post_journal(opened, PostJournal(day=DAY))
    assert posted.journal.lines == view.journal.lines
    (day,) = services.reconciliation.reconcile(opened, start=DAY).days
    assert day.difference == 0


def test_the_opening_balance_account_is_configurable(opened):
    services.accounting_settings.update_accounting_settings(opened, UpdateAccountingSettings(
        accounts={"opening_balance": "3100"}))
    assert services.accounting_settings.get_accounting_settings(opened).accounts["opening_balance"] == "3100"
    journal = services.journals.get_journal(opened, DAY).journal
    assert ("3100", "Opening balance", D("-45.00")) in _lines(journal)


def test_a_change_to_an_opening_value_of_a_posted_day_is_corrected_in_the_next_open_day(opened, onhand, clock):
    clock.advance(days=1)
    frozen = services.journals.post_journal(opened, PostJournal(day=DAY)).journal
    with onhand.writing() as uow:  # what the posted day's opening valuation is worth changes afterwards
        uow.connection.execute(update(opening_values).where(opening_values.c.variance == 0)
                               .values(value=opening_values.c.value + D(2)))
    assert services.journals.get_journal(opened, DAY).journal == frozen
    nxt = services.journals.get_journal(opened, date(2026, 3, 3)).journal
    assert [(ln.description, ln.amount) for ln in nxt.corrections] == [
        ("Inventory asset (correction for 2026-03-02)", D("2.00")),
        ("Opening balance (correction for 2026-03-02)", D("-2.00")),
    ]
    (posted_day, next_day) = services.reconciliation.reconcile(opened, start=DAY, end="2026-03-03").days
    assert posted_day.difference == D(2)  # not yet booked on the posted day itself
    assert next_day.difference == 0


@st.composite
def _before(draw):
    """What happened before valuation: stock found, then some of it lost."""
    found = draw(st.lists(operation().map(lambda op: ("found", *op[1:])), min_size=1, max_size=4))
    lost = draw(st.lists(operation().map(lambda op: ("lose", *op[1:])), max_size=3))
    return found, lost


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["fifo", "lifo", "moving_average"]),
    tea_method=st.sampled_from(["fifo", "lifo", "moving_average", "specific_lot"]),
    before=_before(),
    costs=st.lists(st.integers(1, 99999), min_size=8, max_size=8),
    post_first=st.booleans(),
    steps=st.lists(step(), max_size=8),
)
def test_a_history_valued_by_an_opening_valuation_reconciles_every_day(
    backend, method, tea_method, before, costs, post_first, steps
):
    clock = Clock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with fresh_database(backend) as url:
        onhand = open_onhand(url, clock=clock)
        try:
            setup(onhand, method, tea_method)
            found, lost = before
            for op in found:
                run(onhand, op)
            with onhand.engine.begin() as conn:
                for table in (cost_layers, cost_pools, move_values):
                    conn.execute(delete(table))
            for op in lost:
                try:
                    run(onhand, op)
                except Conflict:
                    continue
            if post_first:
                clock.advance(days=1)
                services.journals.post_journal(onhand, PostJournal(day=DAY))
            gaps = services.opening_valuation.unvalued_stock(onhand)
            lines = [OpeningCost(g.sku, D(costs[n % 8]) / 10000, g.location, g.lot) for n, g in enumerate(gaps)]
            if lines:
                services.opening_valuation.value_opening_stock(onhand, ValueOpeningStock(lines=lines))
            for current in steps:
                try:
                    if current[0] == "op":
                        run(onhand, current[1])
                    elif current[0] == "sell":
                        sell(onhand, *current[1:])
                    elif current[0] == "next day":
                        clock.advance(days=1)
                    elif clock.current.date() > DAY and clock.current.date() - timedelta(days=1) not in posted(onhand):
                        services.journals.post_journal(onhand, PostJournal(
                            day=clock.current.date() - timedelta(days=1)))
                except Conflict:
                    continue
            clock.advance(days=1)
            last = clock.current.date() - timedelta(days=1)
            report = services.reconciliation.reconcile(onhand, start=DAY, end=last)
            assert report.reconciled, report
            for reconciled in report.days:
                journal = services.journals.get_journal(onhand, reconciled.day).journal
                assert journal.debits == journal.credits
            with onhand.reading() as uow:
                layers = sum((pool.value for pool in uow.valuation.pools().values()), D(0))
            report_total = services.valuation_reports.valuation_report(onhand).total_value
            assert report.days[-1].valuation_total == layers == report_total
            first = services.journals.export_journals(onhand, DAY, last, format="csv").content
            assert services.journals.export_journals(onhand, DAY, last, format="csv").content == first
        finally:
            onhand.close()


def posted(onhand):
    return {v.day for v in services.journals.list_journals(onhand, start=DAY) if v.status == "posted"}
