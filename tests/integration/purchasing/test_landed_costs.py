"""Landed costs allocated to receipt lines by value, quantity or weight, exactly."""

from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.errors import InvalidInput, NotFound
from onhand.domain.purchasing.commands import AddLandedCosts
from onhand.services.purchasing.landed_costs import NewLandedCost
from tests.integration.helpers import assert_books_balance
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive, supplier


@pytest.fixture
def received(onhand):
    """GRN-000001: 3 W at 10.00 and 4 TEA (lot T1) at 5.00 (W weighs 2 kg, TEA 0.5 kg)."""
    purchasing_setup(onhand)
    order = placed(onhand, ("W", 3, "10"), ("TEA", 4, "5"))
    from onhand.services.purchasing.receiving import ReceiptLine

    receive(onhand, order.reference, ReceiptLine(1, 3), ReceiptLine(2, 4, lot="T1"))
    yield onhand
    assert_books_balance(onhand)


def shares(receipt, index=-1):
    return [share.amount for share in receipt.landed_costs[index].allocations]


def add(onhand, *costs, receipt="GRN-000001"):
    return services.landed_costs.add_landed_costs(onhand, AddLandedCosts(receipt, costs=list(costs)))


def test_freight_by_value_splits_in_proportion_to_line_values(received):
    receipt = add(received, NewLandedCost("freight", "100.00"))
    assert shares(receipt) == [Decimal("60"), Decimal("40")]  # values 30 and 20
    assert [line.landed_cost for line in receipt.lines] == [Decimal("60"), Decimal("40")]


def test_a_cost_by_quantity_puts_the_rounding_residue_on_the_largest_line(received):
    receipt = add(received, NewLandedCost("duty", "10.00", method="quantity"))
    # 3/7 and 4/7 of 10.00: 4.28 and 5.71 rounded down, the residue 0.01 on TEA (4 units)
    assert shares(receipt) == [Decimal("4.28"), Decimal("5.72")]
    assert sum(shares(receipt)) == Decimal("10.00")


def test_a_cost_by_weight_uses_the_items_weights(received):
    receipt = add(received, NewLandedCost("insurance", "8", method="weight"))
    assert shares(receipt) == [Decimal("6"), Decimal("2")]  # 6 kg and 2 kg


def test_weight_allocation_needs_every_item_to_have_a_weight(received):
    services.items.create_item(received, CreateItem(sku="NOWEIGHT", name="No weight"))
    order = placed(received, ("NOWEIGHT", 1, "1"))
    receive(received, order.reference, (1, 1))
    with pytest.raises(InvalidInput) as caught:
        add(received, NewLandedCost("freight", "5", method="weight"), receipt="GRN-000002")
    assert caught.value.field == "landed_costs[0].method"


def test_a_cost_in_another_currency_needs_its_rate_and_lines_show_company_currency(received):
    with pytest.raises(InvalidInput) as caught:
        add(received, NewLandedCost("freight", "100", currency="EUR"))
    assert caught.value.field == "landed_costs[0].exchange_rate"
    receipt = add(received, NewLandedCost("freight", "100", currency="EUR", exchange_rate="1.1"))
    assert [line.landed_cost for line in receipt.lines] == [Decimal("66"), Decimal("44")]


def test_a_yen_amount_is_split_in_whole_yen_and_odd_amounts_to_the_millionth(received):
    receipt = add(received, NewLandedCost("other", "1000", currency="JPY", exchange_rate="0.0067", method="quantity"))
    assert shares(receipt) == [Decimal("428"), Decimal("572")]
    receipt = add(received, NewLandedCost("other", "0.000007", method="quantity"))
    assert shares(receipt) == [Decimal("0.000003"), Decimal("0.000004")]


def test_landed_costs_can_come_with_the_receipt(onhand):
    purchasing_setup(onhand)
    supplier(onhand, "EUROS", currency="EUR")
    order = placed(onhand, ("W", 1, "10"), ("W", 2, "10"), supplier="EUROS")
    receipt = receive(onhand, order.reference, (1, 1), (2, 2), exchange_rate="1.2",
                      landed_costs=[NewLandedCost("freight", "30")])
    assert (receipt.landed_costs[0].currency, receipt.landed_costs[0].exchange_rate) == ("EUR", Decimal("1.2"))
    assert [line.landed_cost for line in receipt.lines] == [Decimal("12"), Decimal("24")]


@pytest.mark.parametrize(
    ("cost", "field"),
    [(NewLandedCost("postage", "1"), "landed_costs[0].kind"), (NewLandedCost("freight", "0"), "landed_costs[0].amount"),
     (NewLandedCost("freight", "1", method="volume"), "landed_costs[0].method"),
     (NewLandedCost("freight", "1", currency="USD", exchange_rate="2"), "landed_costs[0].exchange_rate")],
)
def test_a_bad_landed_cost_is_refused_naming_its_field(received, cost, field):
    with pytest.raises(InvalidInput) as caught:
        add(received, cost)
    assert caught.value.field == field
    assert services.receiving.get_receipt(received, "GRN-000001").landed_costs == ()


def test_an_unknown_receipt_is_not_found(received):
    with pytest.raises(NotFound) as caught:
        add(received, NewLandedCost("freight", "1"), receipt="GRN-999")
    assert caught.value.field == "receipt"
