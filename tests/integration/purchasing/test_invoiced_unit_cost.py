"""A receipt at the supplier's invoiced unit cost, lower or higher than the order's: under
`to_stock` the layers take it; under `variance` they keep the order's and the difference
goes to the purchase price variance account. Either way goods received is credited with
what was invoiced and the day's journal balances to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.accounting.accounts import AccountRole
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings
from onhand.domain.errors import InvalidInput
from onhand.domain.valuation.commands import SetPriceDifferences
from onhand.services.purchasing.receiving import ReceiptLine
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.purchasing_helpers import placed, receive, supplier

D = Decimal
DAY = date(2026, 3, 2)


def by_role(journal) -> dict[AccountRole, Decimal]:
    found: dict[AccountRole, Decimal] = {}
    for line in journal.lines:
        found[line.role] = found.get(line.role, D(0)) + line.amount
    return found


@pytest.fixture
def ordered(onhand):
    """10 W ordered at 2.50 from ACME for NY."""
    add_place(onhand, "NY")
    add_item(onhand, "W")
    supplier(onhand)
    return placed(onhand, ("W", 10, "2.50")).reference


@pytest.mark.parametrize("invoiced", ["2.33", "2.6175"], ids=["lower", "higher"])
def test_to_stock_puts_the_invoiced_cost_in_the_layers(onhand, ordered, clock, invoiced):
    receipt = receive(onhand, ordered, ReceiptLine(1, D(3), unit_cost=D(invoiced)))
    assert receipt.lines[0].unit_cost == D(invoiced)
    adjust(onhand, "NY", "W", -1, reason="lost")  # valued at the invoiced cost
    journal = services.journals.get_journal(onhand, DAY).journal
    roles = by_role(journal)
    value = (3 * D(invoiced)).quantize(D("0.01"))
    assert roles[AccountRole.GOODS_RECEIVED] == -value
    assert roles[AccountRole.ADJUSTMENTS] == D(invoiced).quantize(D("0.01"))
    assert AccountRole.PURCHASE_PRICE_VARIANCE not in roles
    assert journal.debits == journal.credits


@pytest.mark.parametrize(("invoiced", "variance"), [("2.33", "-0.51"), ("2.6175", "0.35")], ids=["lower", "higher"])
def test_variance_keeps_the_order_cost_and_books_the_difference(onhand, ordered, clock, invoiced, variance):
    assert services.price_differences.set_price_differences(onhand, SetPriceDifferences("Variance")) == "variance"
    services.accounting_settings.update_accounting_settings(
        onhand, UpdateAccountingSettings(accounts={"purchase_price_variance": "5100"}))
    receipt = receive(onhand, ordered, ReceiptLine(1, D(3), unit_cost=D(invoiced)))
    assert receipt.lines[0].unit_cost == D("2.5")  # the layers' cost
    adjust(onhand, "NY", "W", -1, reason="lost")  # valued at the order's cost
    clock.advance(days=1)
    services.journals.post_journal(onhand, PostJournal(day=DAY))
    journal = services.journals.get_journal(onhand, DAY).journal
    roles = by_role(journal)
    assert roles[AccountRole.INVENTORY] == D("7.50") - D("2.50")
    assert roles[AccountRole.ADJUSTMENTS] == D("2.50")
    assert roles[AccountRole.PURCHASE_PRICE_VARIANCE] == D(variance)
    assert roles[AccountRole.GOODS_RECEIVED] == -(3 * D(invoiced)).quantize(D("0.01"))  # what the supplier bills
    (ppv,) = [line for line in journal.lines if line.role is AccountRole.PURCHASE_PRICE_VARIANCE]
    assert ppv.account == "5100" and ppv.description == "Purchase price variance"
    assert journal.debits == journal.credits
    report = services.reconciliation.reconcile(onhand, start=DAY, end=DAY)
    assert report.reconciled  # the variance is not inventory


def test_without_a_variance_account_the_variance_goes_to_cogs(onhand, ordered):
    services.price_differences.set_price_differences(onhand, SetPriceDifferences("variance"))
    receive(onhand, ordered, ReceiptLine(1, D(2), unit_cost=D("3")))
    journal = services.journals.get_journal(onhand, DAY).journal
    (ppv,) = [line for line in journal.lines if line.role is AccountRole.PURCHASE_PRICE_VARIANCE]
    cogs = services.accounting_settings.get_accounting_settings(onhand).accounts["cogs"]
    assert (ppv.account, ppv.amount) == (cogs, D("1.00"))


def test_a_receipt_at_the_order_cost_books_no_variance_and_bad_costs_are_refused(onhand, ordered):
    services.price_differences.set_price_differences(onhand, SetPriceDifferences("variance"))
    receive(onhand, ordered, ReceiptLine(1, D(1), unit_cost=D("2.50")))
    assert AccountRole.PURCHASE_PRICE_VARIANCE not in by_role(services.journals.get_journal(onhand, DAY).journal)
    with pytest.raises(InvalidInput) as raised:
        receive(onhand, ordered, ReceiptLine(1, D(1), unit_cost=D("-1")))
    assert raised.value.field == "lines[0].unit_cost"
    with pytest.raises(InvalidInput) as refused:
        services.price_differences.set_price_differences(onhand, SetPriceDifferences("standard"))
    assert refused.value.field == "purchase_price_differences"
    assert services.price_differences.get_price_differences(onhand) == "variance"
