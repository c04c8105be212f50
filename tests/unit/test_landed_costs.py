"""Sharing an amount among lines: exact to the minor unit, residue on the largest line."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onhand.domain.errors import InvalidInput
from onhand.domain.money import allocate, minor_unit
from onhand.domain.purchasing.purchase_orders import PurchaseLineProgress, PurchaseOrderStatus, purchase_order_status

D = Decimal


def test_minor_units_follow_iso_4217():
    assert (minor_unit("USD"), minor_unit("JPY"), minor_unit("KWD")) == (D("0.01"), D(1), D("0.001"))


def test_a_split_that_does_not_divide_evenly_puts_the_residue_on_the_largest_line():
    assert allocate(D("100.00"), [D(1), D(1), D(1)], step=D("0.01")) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate(D("10.00"), [D(1), D(5), D(1)], step=D("0.01")) == [D("1.42"), D("7.16"), D("1.42")]


def test_no_share_goes_negative_however_small_the_amount():
    assert allocate(D("0.15"), [D(1)] * 10, step=D("0.01")) == [D("0.06")] + [D("0.01")] * 9


def test_a_zero_basis_everywhere_is_refused():
    with pytest.raises(InvalidInput):
        allocate(D(5), [D(0), D(0)], step=D("0.01"))


@given(
    cents=st.integers(min_value=1, max_value=10**10),
    bases=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(any),
)
def test_shares_always_sum_exactly_to_the_amount_and_are_never_negative(cents, bases):
    total = D(cents) / 100
    shares = allocate(total, [D(b) for b in bases], step=D("0.01"))
    assert sum(shares) == total
    assert all(share >= 0 and share == share.quantize(D("0.01")) for share in shares)


def test_the_purchase_order_status_follows_its_facts():
    line = PurchaseLineProgress
    assert purchase_order_status([line(D(5), D(0))], placed=False, closed=False, cancelled=False) == "draft"
    assert purchase_order_status([line(D(5), D(0))], placed=True, closed=False, cancelled=False) == "ordered"
    assert purchase_order_status([line(D(5), D(2))], placed=True, closed=False, cancelled=False) == (
        PurchaseOrderStatus.PARTIALLY_RECEIVED)
    assert purchase_order_status([line(D(5), D(6))], placed=True, closed=False, cancelled=False) == "received"
    assert purchase_order_status([line(D(5), D(2))], placed=True, closed=True, cancelled=False) == "closed"
    assert purchase_order_status([line(D(5), D(0))], placed=True, closed=False, cancelled=True) == "cancelled"
