"""The company's currency: what values and journals are in. One rule for both ways of
setting it (company settings and accounting settings): it changes only while nothing is
valued, and the sales orders priced against it follow or refuse."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onhand import services
from onhand.domain.accounting.commands import UpdateAccountingSettings
from onhand.domain.catalog.commands import UpdateCompany
from onhand.domain.errors import Conflict
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust

CHANGES = {
    "company": lambda onhand, code: services.company.update_company(onhand, UpdateCompany(currency=code)),
    "accounting": lambda onhand, code: services.accounting_settings.update_accounting_settings(
        onhand, UpdateAccountingSettings(currency=code)),
}


@pytest.fixture(params=sorted(CHANGES))
def change(request):
    return CHANGES[request.param]


@pytest.fixture
def shop(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    return onhand


def currency(onhand):
    return services.company.get_company(onhand).currency


def test_the_currency_is_fixed_once_a_move_is_valued(shop, change):
    before = currency(shop)
    adjust(shop, "NY", "W", 10, unit_cost="4.00")
    with pytest.raises(Conflict, match="currency: moves have been valued"):
        change(shop, "EUR" if before != "EUR" else "USD")
    assert currency(shop) == before


def test_orders_in_the_new_currency_become_domestic_at_rate_1(shop, change):
    home = currency(shop)
    foreign = "EUR" if home != "EUR" else "USD"
    order = services.sales_orders.create_order(
        shop, CreateOrder(lines=[NewOrderLine("W", 1, unit_price="9.00")], currency=foreign, exchange_rate="1.10"),
    )
    change(shop, foreign)
    assert currency(shop) == foreign
    assert services.sales_orders.get_order(shop, order.reference).exchange_rate == D(1)


def test_orders_priced_in_the_old_currency_refuse_the_change_and_nothing_changes(shop, change):
    home = currency(shop)
    order = services.sales_orders.create_order(
        shop, CreateOrder(lines=[NewOrderLine("W", 1, unit_price="9.00")]),
    )
    with pytest.raises(Conflict, match=f"1 sales order\\(s\\) are priced in {home}"):
        change(shop, "EUR" if home != "EUR" else "USD")
    assert currency(shop) == home
    services.sales_orders.cancel_order(shop, OrderAction(order.reference))
    change(shop, "EUR" if home != "EUR" else "USD")  # a cancelled order holds nothing
    assert currency(shop) != home
