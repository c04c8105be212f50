"""Sales in a foreign currency in the daily summary journal: an order carries its
exchange rate (company currency per unit of its own), revenue is price × quantity ×
rate, exact, rounded only on the journal line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import update

from onhand import services
from onhand.adapters.db.tables import sales_orders
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder, UpdateOrder
from onhand.services.accounting.journal_book import SALE, JournalBook
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust

DAY = date(2026, 3, 2)  # the test clock's day (company time zone UTC)


@pytest.fixture
def nz(onhand):
    """A company in NZD with 10 W at 4.00 in NY."""
    services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(currency="NZD"))
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 10, unit_cost="4.00")
    return onhand


def sell(onhand, quantity, price, **fields):
    created = services.sales_orders.create_order(
        onhand, CreateOrder(lines=[NewOrderLine("W", quantity, unit_price=price)], **fields)
    )
    services.sales_orders.allocate_order(onhand, OrderAction(created.reference))
    return services.shipping.ship_order(onhand, ShipOrder(created.reference))


def exact_sales(onhand, day=DAY):
    with onhand.reading() as uow:
        sums = JournalBook(uow).current(day)
    return sum((value for (kind, *_), (value, _v) in sums.items() if kind == SALE), D(0))


def sales_lines(journal):
    return [(ln.account, ln.description, ln.amount) for ln in journal.lines
            if ln.role.value in ("revenue", "sales_clearing", "sales_returns")]


def test_an_order_in_usd_at_1_25_books_its_revenue_in_nzd_exact_to_the_cent(nz):
    view = sell(nz, 5, "19.99", currency="USD", exchange_rate="1.25")
    assert (view.currency, view.exchange_rate) == ("USD", D("1.25"))
    assert exact_sales(nz) == D("124.9375")  # 5 × 19.99 × 1.25, not rounded before the line
    journal = services.journals.get_journal(nz, DAY).journal
    assert journal.currency == "NZD"
    assert sales_lines(journal) == [("200", "Sales revenue", D("-124.94")), ("850", "Sales clearing", D("124.94"))]
    assert journal.debits == journal.credits


def test_orders_in_several_currencies_are_summed_exactly_before_the_line_is_rounded(nz):
    sell(nz, 1, "0.01", currency="USD", exchange_rate="1.25")  # 0.0125
    sell(nz, 1, "0.01", currency="USD", exchange_rate="1.25")  # 0.0125: together 0.025
    sell(nz, 3, "10.00")  # in NZD at 1: 30.00
    assert exact_sales(nz) == D("30.025")
    journal = services.journals.get_journal(nz, DAY).journal
    assert sales_lines(journal) == [("200", "Sales revenue", D("-30.02")), ("850", "Sales clearing", D("30.02"))]
    assert journal.debits == journal.credits


def test_a_foreign_currency_order_needs_a_positive_rate_and_nothing_is_made_without_one(nz):
    line = [NewOrderLine("W", 1, unit_price="2")]
    for given in (None, "0", "-1.2", "abc", "1.0000001"):
        with pytest.raises(InvalidInput) as error:
            services.sales_orders.create_order(
                nz, CreateOrder(lines=line, currency="USD", exchange_rate=given),
            )
        assert error.value.field == "exchange_rate"
    with pytest.raises(InvalidInput) as error:  # the company's own currency is at 1, or refused
        services.sales_orders.create_order(nz, CreateOrder(lines=line, exchange_rate="1.25"))
    assert error.value.field == "exchange_rate" and "must be 1" in str(error.value)
    assert services.sales_orders.list_orders(nz) == []
    assert services.sales_orders.create_order(nz, CreateOrder(lines=line, exchange_rate="1")).exchange_rate == 1
    assert services.sales_orders.create_order(nz, CreateOrder(lines=line)).exchange_rate == 1


def test_the_rate_may_change_until_something_ships(nz):
    created = services.sales_orders.create_order(
        nz, CreateOrder(lines=[NewOrderLine("W", 2, unit_price="10")], currency="USD", exchange_rate="1.25"),
    )
    with pytest.raises(InvalidInput) as error:
        services.sales_orders.update_order(nz, UpdateOrder(created.reference, exchange_rate="0"))
    assert error.value.field == "exchange_rate"
    assert services.sales_orders.get_order(nz, created.reference).exchange_rate == D("1.25")  # unchanged
    assert services.sales_orders.update_order(nz, UpdateOrder(
        created.reference, exchange_rate="1.3",
    )).exchange_rate == D("1.3")
    services.sales_orders.allocate_order(nz, OrderAction(created.reference))
    services.shipping.ship_order(nz, ShipOrder(created.reference))
    with pytest.raises(Conflict):
        services.sales_orders.update_order(nz, UpdateOrder(created.reference, exchange_rate="1.4"))
    assert exact_sales(nz) == D("26.0")  # 2 × 10 × 1.3


def test_an_older_foreign_order_without_a_rate_stays_out_of_the_journal(nz, onhand):
    view = sell(nz, 1, "10", currency="USD", exchange_rate="1.25")
    with onhand.writing() as uow:  # as revision 0011 leaves an order made before it in another currency
        uow.connection.execute(update(sales_orders).where(sales_orders.c.reference == view.reference)
                               .values(exchange_rate=None))
    assert services.sales_orders.get_order(nz, view.reference).exchange_rate is None
    assert exact_sales(nz) == 0
    journal = services.journals.get_journal(nz, DAY).journal
    assert sales_lines(journal) == [] and journal.debits == journal.credits
