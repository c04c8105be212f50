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


def test_a_returned_component_reverses_its_share_of_the_kit_not_the_whole_kit():
    events = [at(9, 1, l2="1", l3="2"), at(10, 2, l2="1", l3="2"),  # 2 kits shipped
              at(11, 1, True, l3="1"),  # a bag back: half the bags' share of one kit
              at(12, 2, True, l2="1"),  # a mug back: the mug's share
              at(13, 3, l2="1", l3="1")]  # a replacement mug and bag: both kits whole again
    found = [(e.returned, e.event_id, amount) for e, amount in kit_events(D("7.5"), PER_KIT, events)]
    # No cost known: each component line an equal share (3.75 the mug, 3.75 the two bags).
    assert found == [(False, 1, D("7.5")), (False, 2, D("7.5")), (True, 1, D("1.875")), (True, 2, D("3.75")),
                     (False, 3, D("5.625"))]
    # Shares by cost per kit: a mug costs 6, a bag 2 (4 per kit): the bag 7.5 × 4/10 / 2.
    weighted = kit_events(D("7.5"), PER_KIT, events, weights={2: D(6), 3: D(4)})
    assert [amount for _e, amount in weighted] == [D("7.5"), D("7.5"), D("1.5"), D("4.5"), D(6)]


def test_components_shipped_ahead_of_a_whole_kit_carry_no_revenue():
    events = [at(9, 1, l2="2", l3="2"), at(10, 1, True, l2="1")]  # 1 kit (2 bags) and a mug ahead; the mug back
    assert [(e.returned, amount) for e, amount in kit_events(D("7.5"), PER_KIT, events)] == [(False, D("7.5"))]


def test_a_return_with_refund_prices_reverses_what_was_refunded():
    events = [at(9, 1, l2="1", l3="2"), at(10, 1, True, refund="2.50", l2="1"), at(11, 2, True, refund="0", l3="2")]
    found = [(e.returned, amount) for e, amount in kit_events(D("7.5"), PER_KIT, events)]
    assert found == [(False, D("7.5")), (True, D("2.50"))]  # no refund books nothing


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3), st.integers(0, 5)), max_size=12),
       st.integers(0, 9), st.integers(0, 9))
def test_bundle_revenue_net_of_returns_is_the_share_of_the_kits_still_held(steps, mug_cost, bag_cost):
    """Whatever the order of shipments and returns, Σ recognized − Σ reversed is the price of
    the whole kits shipped less the shares of their components that came back."""
    held = {2: D(0), 3: D(0)}
    shipped = {2: D(0), 3: D(0)}
    events = []
    for n, (returned, mugs, bags) in enumerate(steps):
        mugs, bags = (min(mugs, held[2]), min(bags, held[3])) if returned else (D(mugs), D(bags))
        for line, quantity in ((2, mugs), (3, bags)):
            held[line] += -quantity if returned else quantity
            shipped[line] += 0 if returned else quantity
        events.append(KitEvent(datetime(2026, 3, 2, tzinfo=UTC), n, 1, {2: D(mugs), 3: D(bags)}, returned))
    weights = {2: D(mug_cost), 3: D(bag_cost)}
    found = kit_events(D("7.333333"), PER_KIT, events, weights=weights)
    net = sum((-amount if e.returned else amount for e, amount in found), D(0))
    kits = min(shipped[2] // 1, shipped[3] // 2)
    share = weights if any(weights.values()) else {2: D(1), 3: D(1)}
    expected = D("7.333333") * sum(share[n] * min(held[n], kits * PER_KIT[n]) / PER_KIT[n] for n in PER_KIT) \
        / sum(share.values())
    assert abs(net - expected) <= D("1e-12")  # held to 10^-12; the journal rounds to cents
    assert all(amount > 0 for _e, amount in found)
    if held == {2: 0, 3: 0}:
        assert net == 0  # everything back: nothing held, exactly


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
