"""The daily summary journal from the database: made from a day's moves and shipments,
posted (frozen), corrected in the next open day, exported byte-identically."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import update

from onhand import services
from onhand.adapters.db.tables.valuation import move_values
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings, read_lock_date
from onhand.domain.catalog.commands import UpdateItem
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.purchasing_helpers import placed, receive, supplier

DAY = date(2026, 3, 2)  # the test clock's day (company time zone UTC)


@pytest.fixture
def textbook(onhand):
    """W received 10 @ 5.00 and 10 @ 6.00 into NY, then 15 shipped at 10.00 each (FIFO)."""
    add_place(onhand, "NY")
    add_item(onhand, "W")
    supplier(onhand)
    for cost in ("5.00", "6.00"):
        receive(onhand, placed(onhand, ("W", 10, cost)).reference, (1, 10))
    created = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("W", 15, unit_price="10.00")]),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(created.reference))
    services.shipping.ship_order(onhand, ShipOrder(created.reference))
    return onhand


def _lines(journal):
    return [(ln.account, ln.description, ln.amount) for ln in journal.lines]


def test_the_textbook_day_through_a_purchase_order_and_a_sales_order(textbook):
    view = services.journals.get_journal(textbook, DAY)
    assert view.status == "open"
    assert _lines(view.journal) == [
        ("200", "Sales revenue", D("-150.00")),
        ("310", "Cost of goods sold", D("80.00")),
        ("630", "Inventory asset", D("30.00")),
        ("850", "Goods received not invoiced", D("-110.00")),
        ("850", "Sales clearing", D("150.00")),
    ]
    assert view.balanced and view.journal.debits == D("260.00")
    assert services.journals.get_journal(textbook, DAY) == view  # idempotent


def test_category_overrides_and_location_tracking_change_the_lines(textbook):
    services.items.update_item(textbook, UpdateItem(sku="W", category="coffee"))
    services.accounting_settings.update_accounting_settings(
        textbook, UpdateAccountingSettings(
            categories={"coffee": {"revenue": "205", "cogs": "315"}}, track_locations=True))
    journal = services.journals.get_journal(textbook, DAY).journal
    assert ("205", "Sales revenue", D("-150.00")) in _lines(journal)
    assert ("315", "Cost of goods sold", D("80.00")) in _lines(journal)
    assert {ln.tracking_option for ln in journal.lines} == {"NY"}
    assert journal.tracking_category == "Location"


def test_a_day_is_posted_once_it_is_over_and_then_frozen(textbook, clock):
    with pytest.raises(InvalidInput) as error:
        services.journals.post_journal(textbook, PostJournal(day=DAY))
    assert error.value.field == "day"
    clock.advance(days=1)
    formats = ("xero-json", "xero-csv", "qbo-json", "csv")
    before = {fmt: services.journals.export_journals(textbook, DAY, format=fmt).content for fmt in formats}
    posted = services.journals.post_journal(textbook, PostJournal(day=DAY))
    assert posted.status == "posted" and posted.posted_at is not None
    assert services.journals.post_journal(textbook, PostJournal(day=DAY)) == posted  # posting again changes nothing
    for fmt in formats:
        first = services.journals.export_journals(textbook, DAY, format=fmt)
        assert services.journals.export_journals(textbook, DAY, format=fmt).content == first.content
        # The stored lines export as the open day did: amounts to the cent ("30.00", not "30").
        assert first.content == before[fmt].replace('"DRAFT"', '"POSTED"'), fmt


def test_a_later_change_to_a_posted_day_is_one_dated_correction_in_the_next_open_day(textbook, onhand, clock):
    clock.advance(days=1)
    frozen = services.journals.post_journal(textbook, PostJournal(day=DAY)).journal
    adjust(onhand, "NY", "W", -1, reason="lost")  # 2026-03-03: an ordinary day's move
    # A re-valuation (a later session's backdated receipt) makes the shipment of the posted day cost 2.00 more.
    with onhand.writing() as uow:
        uow.connection.execute(update(move_values).where(move_values.c.role == "shipment")
                               .values(value=move_values.c.value + D(2)))
    assert services.journals.get_journal(textbook, DAY).journal == frozen
    nxt = services.journals.get_journal(textbook, date(2026, 3, 3)).journal
    assert [(ln.description, ln.amount) for ln in nxt.corrections] == [
        ("Cost of goods sold (correction for 2026-03-02)", D("2.00")),
        ("Inventory asset (correction for 2026-03-02)", D("-2.00")),
    ]
    assert nxt.debits == nxt.credits
    clock.advance(days=1)
    services.journals.post_journal(textbook, PostJournal(day=date(2026, 3, 3)))
    later = services.journals.get_journal(textbook, date(2026, 3, 4)).journal
    assert later.corrections == ()  # booked once


def test_the_period_lock_date_refuses_postings_on_or_before_it(textbook, clock):
    clock.advance(days=1)
    services.journals.post_journal(textbook, PostJournal(lock=True, day=DAY))
    assert services.accounting_settings.get_accounting_settings(textbook).lock_date == DAY
    adjust(textbook, "NY", "W", 1)  # 2026-03-03 is open
    services.accounting_settings.update_accounting_settings(textbook, UpdateAccountingSettings(
        lock_date=date(2026, 3, 3)))
    with pytest.raises(InvalidInput) as error:
        adjust(textbook, "NY", "W", 1)
    assert error.value.field == "effective_at"
    assert services.stock.stock_levels(textbook, sku="W").levels[0].on_hand == 6  # nothing changed
    services.accounting_settings.update_accounting_settings(textbook, UpdateAccountingSettings(remove_lock_date=True))
    adjust(textbook, "NY", "W", 1)


def test_reconciliation_matches_the_valuation_and_names_moves_of_an_unbooked_change(textbook, onhand, clock):
    clock.advance(days=1)
    report = services.reconciliation.reconcile(textbook, start=DAY)
    (day,) = report.days
    assert (day.valuation_total, day.journal_balance, day.difference) == (D(30), D("30.00"), 0)
    services.journals.post_journal(textbook, PostJournal(day=DAY))
    with onhand.writing() as uow:
        uow.connection.execute(update(move_values).where(move_values.c.role == "shipment")
                               .values(value=move_values.c.value + D(2)))
    (day,) = services.reconciliation.reconcile(textbook, start=DAY).days
    assert day.difference == D(-2)
    assert [(m.sku, m.role, m.inventory_value) for m in day.moves] == [("W", "shipment", D(-82))]
    (next_day,) = services.reconciliation.reconcile(textbook, start="2026-03-03").days
    assert next_day.difference == 0  # the correction is booked by the open day


def test_settings_are_validated_and_have_defaults(onhand):
    settings = services.accounting_settings.get_accounting_settings(onhand)
    assert settings.accounts["inventory"] == "630" and settings.currency == "USD"
    assert (settings.track_locations, settings.lock_date, settings.categories) == (False, None, {})
    with pytest.raises(InvalidInput) as error:
        services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(
            accounts={"stock": "1"}))
    assert error.value.field == "accounts.stock"
    with pytest.raises(InvalidInput) as error:
        services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(
            accounts={"cogs": " "}))
    assert error.value.field == "accounts.cogs"
    with pytest.raises(InvalidInput) as error:
        read_lock_date("yesterday")  # at the edge
    assert error.value.field == "lock_date"
    with pytest.raises(InvalidInput) as error:
        services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(
            lock_date=date(2026, 3, 3), remove_lock_date=True))
    assert error.value.field == "lock_date"
    with pytest.raises(InvalidInput) as error:
        services.journals.export_journals(onhand, DAY, format="pdf")
    assert error.value.field == "format"
    changed = services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(
        accounts={"cogs": "500"}, currency="EUR"))
    assert (changed.accounts["cogs"], changed.accounts["inventory"], changed.currency) == ("500", "630", "EUR")
