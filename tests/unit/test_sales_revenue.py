"""Sales revenue in the company's currency: exchange rates of orders, refunds of returns,
bundle revenue as components ship and come back, and how the journal books refunds."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onhand.domain.accounting.accounts import DEFAULT_CODES, AccountMap, AccountRole
from onhand.domain.accounting.journal import RefundEntry, SaleEntry, daily_journal
from onhand.domain.accounting.sales_revenue import KitEvent, kit_events, order_exchange_rate, validate_refund_unit_price
from onhand.domain.errors import InvalidInput

D = Decimal
DAY = date(2026, 3, 2)
PER_KIT = {2: D(1), 3: D(2)}  # 1 of line 2 and 2 of line 3 per kit


def at(hour: int, eid: int, returned: bool = False, refund: str | None = None, **quantities: str) -> KitEvent:
    return KitEvent(datetime(2026, 3, 2, hour, tzinfo=UTC), eid, 1, {int(k[1:]): D(v) for k, v in quantities.items()},
                    returned, None if refund is None else D(refund))


def test_a_foreign_order_needs_a_positive_rate_and_the_company_currency_takes_only_1():
    assert order_exchange_rate("1.25", "USD", "NZD") == D("1.25")
    assert order_exchange_rate(None, "NZD", "NZD") == 1
    assert order_exchange_rate("1.000", "NZD", "NZD") == 1
    for rate, currency in ((None, "USD"), ("0", "USD"), ("-1", "USD"), ("x", "USD"), ("1.1", "NZD")):
        with pytest.raises(InvalidInput) as error:
            order_exchange_rate(rate, currency, "NZD")
        assert error.value.field == "exchange_rate"


def test_a_refund_price_is_money_not_below_zero():
    assert validate_refund_unit_price("0") == 0
    with pytest.raises(InvalidInput) as error:
        validate_refund_unit_price("-0.01", "lines[2].refund_unit_price")
    assert error.value.field == "lines[2].refund_unit_price"


def test_a_return_reverses_the_kits_it_broke_and_later_shipments_recognize_them_again():
    events = [at(9, 1, l2="1", l3="2"), at(10, 2, l2="1", l3="2"),  # 2 kits shipped
              at(11, 1, True, l3="1"),  # a bag back: 1 kit held
              at(12, 2, True, l2="1"),  # the mug of the same kit: still 1
              at(13, 3, l2="1", l3="1")]  # a replacement mug and bag: 2 again
    found = [(e.returned, e.event_id, amount) for e, amount in kit_events(D("7.5"), PER_KIT, events)]
    assert found == [(False, 1, D("7.5")), (False, 2, D("7.5")), (True, 1, D("7.5")), (False, 3, D("7.5"))]


def test_a_return_with_refund_prices_reverses_what_was_refunded():
    events = [at(9, 1, l2="1", l3="2"), at(10, 1, True, refund="2.50", l2="1"), at(11, 2, True, refund="0", l3="2")]
    found = [(e.returned, amount) for e, amount in kit_events(D("7.5"), PER_KIT, events)]
    assert found == [(False, D("7.5")), (True, D("2.50"))]  # no refund books nothing


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3), st.integers(0, 5)), max_size=12))
def test_bundle_revenue_net_of_returns_is_the_kits_held_times_the_price(steps):
    """Whatever the order of shipments and returns, Σ recognized − Σ reversed == kits held × price."""
    held = {2: D(0), 3: D(0)}
    events = []
    for n, (returned, mugs, bags) in enumerate(steps):
        mugs, bags = (min(mugs, held[2]), min(bags, held[3])) if returned else (D(mugs), D(bags))
        held[2] += -mugs if returned else mugs
        held[3] += -bags if returned else bags
        events.append(KitEvent(datetime(2026, 3, 2, tzinfo=UTC), n, 1, {2: D(mugs), 3: D(bags)}, returned))
    found = kit_events(D("7.333333"), PER_KIT, events)
    net = sum((-amount if e.returned else amount for e, amount in found), D(0))
    assert net == min(held[2] // 1, held[3] // 2) * D("7.333333")
    assert all(amount > 0 for _e, amount in found)


def test_a_refund_is_booked_to_sales_returns_against_sales_clearing_and_the_revenue_code_by_default():
    sale = SaleEntry(1, D("124.9375"), DAY, DAY, location="NY")
    refund = RefundEntry(D("49.975"), DAY, DAY, location="NY")
    journal = daily_journal(DAY, [], [sale], refunds=[refund], accounts=AccountMap(DEFAULT_CODES), currency="NZD")
    assert [(ln.account, ln.role.value, ln.amount) for ln in journal.lines] == [
        ("200", "revenue", D("-124.94")), ("200", "sales_returns", D("49.98")), ("850", "sales_clearing", D("74.96")),
    ]
    accounts = AccountMap({**DEFAULT_CODES, AccountRole.SALES_RETURNS: "4100"}, {"tea": {AccountRole.REVENUE: "205"}})
    assert accounts.code(AccountRole.SALES_RETURNS, "tea") == "4100"
    fallback = AccountMap(DEFAULT_CODES, {"tea": {AccountRole.REVENUE: "205"}})
    assert fallback.code(AccountRole.SALES_RETURNS, "tea") == "205"  # the category's revenue account
