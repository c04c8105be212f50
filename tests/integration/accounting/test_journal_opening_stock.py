"""Opening stock in the daily summary journal: an opening import, or an adjustment with
reason `opening`, lands on the opening-balance account, not on inventory adjustments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from onhand import services
from onhand.domain.accounting.commands import PostJournal
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
