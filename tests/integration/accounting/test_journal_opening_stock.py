"""Opening stock in the daily summary journal: an opening import, or an adjustment with
reason `opening`, lands on the opening-balance account, not on inventory adjustments; on
a fresh company, opening stock that came in without costs is valued by an opening valuation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.errors import Conflict
from onhand.domain.valuation.commands import OpeningCost, ValueOpeningStock
from tests.integration.helpers import add_item, add_place, adjust

DAY = date(2026, 3, 2)  # the test clock's day (company time zone UTC)


def _lines(onhand, day=DAY):
    return [(ln.account, ln.description, ln.amount) for ln in services.journals.get_journal(onhand, day).journal.lines]


def test_an_opening_import_at_unit_costs_credits_the_opening_balance_account(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "MUG")
    report = services.imports.import_opening_stock(onhand, "location,sku,quantity,unit_cost\nNY,MUG,12,2.50\n")
    assert report.ok
    assert _lines(onhand) == [("630", "Inventory asset", D("30.00")), ("840", "Opening balance", D("-30.00"))]


def test_an_adjustment_with_reason_opening_lands_on_the_opening_balance_and_others_do_not(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "MUG")
    adjust(onhand, "NY", "MUG", 10, reason="opening", unit_cost="2")
    adjust(onhand, "NY", "MUG", -1, reason="opening")  # opening stock taken back: out at 2.00
    adjust(onhand, "NY", "MUG", 3, reason="found", unit_cost="2")
    assert _lines(onhand) == [
        ("310", "Inventory adjustments", D("-6.00")),
        ("630", "Inventory asset", D("24.00")),
        ("840", "Opening balance", D("-18.00")),
    ]
    clock.advance(days=1)
    services.journals.post_journal(onhand, PostJournal(day=DAY))
    (day,) = services.reconciliation.reconcile(onhand, start=DAY).days
    assert (day.valuation_total, day.difference) == (D(24), 0)
    assert _lines(onhand, date(2026, 3, 3)) == []  # booked once: no correction of the posted day


def test_opening_stock_imported_without_costs_is_valued_by_an_opening_valuation_on_a_fresh_company(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "MUG")
    assert services.imports.import_opening_stock(onhand, "location,sku,quantity\nNY,MUG,12\n").ok
    adjust(onhand, "NY", "MUG", -2, reason="damaged")  # left at no cost, before the costs were known
    made = services.opening_valuation.value_opening_stock(
        onhand, ValueOpeningStock(lines=[OpeningCost("MUG", "2.50", "NY")], reference="go-live"))
    assert [(ln.location, ln.quantity, ln.value) for ln in made.lines] == [("NY", D(12), D(30))]
    assert services.valuation_reports.valuation_report(onhand).total_value == D(25)
    assert _lines(onhand) == [
        ("310", "Inventory adjustments", D("5.00")),  # the damaged two, at the opening cost now
        ("630", "Inventory asset", D("25.00")),
        ("840", "Opening balance", D("-30.00")),
    ]
    clock.advance(days=1)
    (day,) = services.reconciliation.reconcile(onhand, start=DAY).days
    assert day.difference == 0
    with pytest.raises(Conflict):  # valued now: found stock is valued by an adjustment at a unit cost
        services.opening_valuation.value_opening_stock(
            onhand, ValueOpeningStock(lines=[OpeningCost("MUG", "3", "NY")]))


def test_an_opening_valuation_after_the_import_day_was_posted_is_a_correction(onhand, clock):
    add_place(onhand, "NY")
    add_item(onhand, "MUG")
    adjust(onhand, "NY", "MUG", 10, reason="opening")
    clock.advance(days=1)
    assert services.journals.post_journal(onhand, PostJournal(day=DAY)).journal.lines == ()
    services.opening_valuation.value_opening_stock(onhand, ValueOpeningStock(lines=[OpeningCost("MUG", "4")]))
    assert _lines(onhand, date(2026, 3, 3)) == [
        ("630", "Inventory asset (correction for 2026-03-02)", D("40.00")),
        ("840", "Opening balance (correction for 2026-03-02)", D("-40.00")),
    ]
    clock.advance(days=1)
    report = services.reconciliation.reconcile(onhand, start=DAY, end="2026-03-03")
    assert report.days[-1].difference == 0
