"""Bundle revenue in the daily summary journal: a bundle's price is on its own line, which
never ships; each shipment of its components recognizes the kits it completed × price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipLine, ShipOrder
from onhand.services.accounting.journal_book import SALE, JournalBook
from onhand.services.assemblies.bundles import ComponentLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust

DAY = date(2026, 3, 2)  # the test clock's day (company time zone UTC)
NEXT = date(2026, 3, 3)
PRICE = D("7.333333")


@pytest.fixture
def sold(onhand):
    """3 KIT (1 MUG + 2 BAG each) at 7.333333 and 1 SPOON at 2.00 on one order, allocated."""
    add_place(onhand, "NY")
    for sku in ("MUG", "BAG", "SPOON"):
        add_item(onhand, sku)
        adjust(onhand, "NY", sku, 10, unit_cost="1")
    add_item(onhand, "KIT", kind="bundle")
    services.bundles.set_components(onhand, "KIT", components=[ComponentLine("MUG", 1), ComponentLine("BAG", 2)])
    created = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[
        NewOrderLine("KIT", 3, unit_price=PRICE), NewOrderLine("SPOON", 1, unit_price="2.00")]),
    )
    return onhand, services.sales_orders.allocate_order(onhand, OrderAction(created.reference))


def _revenue(onhand, day):
    """The exact sales sums (before cent rounding) the day's journal is made of."""
    with onhand.reading() as uow:
        sums = JournalBook(uow).current(day)
    return sum((value for (kind, *_), (value, _v) in sums.items() if kind == SALE), D(0))


def _sales_lines(journal):
    return [(ln.description, ln.amount) for ln in journal.lines if ln.role.value in ("revenue", "sales_clearing")]


def test_bundle_revenue_is_recognized_as_its_kits_complete_across_partial_shipments(sold, clock):
    onhand, view = sold
    line = {ln.sku: ln.line_no for ln in view.lines}
    # Day 1: all 3 mugs, 2 bags (one kit complete) and the spoon.
    services.shipping.ship_order(onhand, ShipOrder(view.reference,
                                 lines=[ShipLine(line["MUG"], 3), ShipLine(line["BAG"], 2), ShipLine(line["SPOON"],
                                     1)]))
    assert _revenue(onhand, DAY) == PRICE + 2
    journal = services.journals.get_journal(onhand, DAY).journal
    assert _sales_lines(journal) == [("Sales revenue", D("-9.33")), ("Sales clearing", D("9.33"))]
    assert journal.debits == journal.credits
    clock.advance(days=1)
    services.journals.post_journal(onhand, PostJournal(day=DAY))
    # Day 2: 3 bags complete one more kit, then the last bag the third: two shipments.
    services.shipping.ship_order(onhand, ShipOrder(view.reference, lines=[ShipLine(line["BAG"], 3)]))
    services.shipping.ship_order(onhand, ShipOrder(view.reference, lines=[ShipLine(line["BAG"], 1)]))
    assert _revenue(onhand, NEXT) == 2 * PRICE
    assert _revenue(onhand, DAY) + _revenue(onhand, NEXT) == 3 * PRICE + 2  # kits × price, exactly
    second = services.journals.get_journal(onhand, NEXT).journal
    assert _sales_lines(second) == [("Sales revenue", D("-14.67")), ("Sales clearing", D("14.67"))]
    assert second.debits == second.credits and second.corrections == ()  # the posted day is unchanged
    first = services.journals.export_journals(onhand, NEXT, format="csv").content
    assert services.journals.export_journals(onhand, NEXT, format="csv").content == first
    clock.advance(days=1)
    (day,) = services.reconciliation.reconcile(onhand, start=NEXT).days
    assert day.difference == 0


def test_a_shipment_that_completes_no_kit_recognizes_no_bundle_revenue(sold):
    onhand, view = sold
    line = {ln.sku: ln.line_no for ln in view.lines}
    services.shipping.ship_order(onhand, ShipOrder(view.reference, lines=[ShipLine(line["MUG"], 3),
        ShipLine(line["BAG"], 1)]))
    assert _revenue(onhand, DAY) == 0
    assert _sales_lines(services.journals.get_journal(onhand, DAY).journal) == []
