"""The chart of accounts from Xero and QuickBooks, the checks of mapped codes against it,
and the regions' conventions of the Xero CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from onhand.adapters.accounting import xero
from onhand.domain.accounting.accounts import QUICKBOOKS_CODES, XERO_CODES, AccountMap, AccountRole
from onhand.domain.accounting.charts import (
    Target,
    check_codes,
    parse_quickbooks_chart,
    parse_xero_chart,
    refuse_problems,
)
from onhand.domain.accounting.journal import ValuedEntry, daily_journal
from onhand.domain.accounting.regions import DateFormat, conventions, parse_region
from onhand.domain.errors import InvalidInput
from onhand.domain.valuation.move_roles import MoveRole

FIXTURES = Path(__file__).parent.parent / "fixtures" / "accounting"
XERO_CHART = (FIXTURES / "xero_chart_of_accounts.csv").read_text()
QBO_LIST = (FIXTURES / "quickbooks_account_list.csv").read_text()


def test_the_xero_defaults_name_accounts_of_xeros_standard_chart_that_take_manual_journals():
    assert check_codes(AccountMap(XERO_CODES), parse_xero_chart(XERO_CHART)) == []


def test_the_quickbooks_defaults_name_accounts_of_its_standard_chart():
    assert check_codes(AccountMap(QUICKBOOKS_CODES), parse_quickbooks_chart(QBO_LIST)) == []


def test_a_xero_export_is_read_by_its_asterisked_columns_and_knows_the_system_accounts_by_name():
    chart = parse_xero_chart(XERO_CHART)
    assert chart.target is Target.XERO and len(chart.accounts) == 19
    receivable = chart.find("610")
    assert (receivable.name, receivable.type, receivable.system_account) == (
        "Accounts Receivable", "Current Asset", "DEBTORS")
    assert chart.find("840").refusal() is None  # Historical Adjustment takes manual journals
    assert chart.find("2150") is None


def test_missing_codes_system_accounts_and_banks_are_problems_named_by_setting():
    accounts = AccountMap({**XERO_CODES, AccountRole.SALES_CLEARING: "610", AccountRole.GOODS_RECEIVED: "2150"},
                          {"tea": {AccountRole.INVENTORY: "090"}})
    problems = check_codes(accounts, parse_xero_chart(XERO_CHART))
    assert [(p.setting, p.code) for p in problems] == [
        ("accounts.goods_received", "2150"), ("accounts.sales_clearing", "610"), ("categories.tea.inventory", "090")]
    assert "no account with code '2150'" in problems[0].reason
    assert "Accounts Receivable system account" in problems[1].reason
    assert "bank account" in problems[2].reason
    with pytest.raises(InvalidInput) as refused:
        refuse_problems(problems)
    assert refused.value.field == "accounts.goods_received" and "and 2 more" in refused.value.reason


def test_a_quickbooks_list_matches_codes_by_number_name_or_id_and_refuses_ar_and_ap():
    chart = parse_quickbooks_chart(QBO_LIST)
    assert chart.find("5100").account_id == "101"
    assert chart.find("inventory asset").account_id == "81"
    assert chart.find("34").name == "Opening Balance Equity"
    assert "customer or vendor" in chart.find("Accounts Payable (A/P)").refusal()


@pytest.mark.parametrize("text", [
    "", "just,some\nwords,here\n",
    "~J\U0003c79fu\rF\xdd",  # what the API fuzzer sent: a bare CR in a field (once a 500)
    "*Code," + "x" * 200_000,  # a field beyond the csv module's limit
])
def test_a_file_that_is_no_chart_is_refused(text):
    with pytest.raises(InvalidInput) as refused:
        parse_xero_chart(text)
    assert refused.value.field == "file"


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_a_chart_reads_the_same_whatever_its_lines_end_with(ending):
    assert parse_xero_chart(XERO_CHART.replace("\n", ending)) == parse_xero_chart(XERO_CHART)


def test_each_region_names_its_no_tax_rate_and_writes_its_dates():
    assert conventions("UK").tax_rate == "No VAT"
    assert conventions("AU").tax_rate == "BAS Excluded"
    assert conventions("NZ").tax_rate == "No GST"
    assert (conventions("US").tax_rate, conventions("US").date_format) == ("Tax Exempt", DateFormat.MONTH_FIRST)
    assert conventions("UK", "Zero Rated", "yyyy-mm-dd") == conventions("INT", "Zero Rated", "yyyy-mm-dd")
    assert parse_region(" gb ") == "UK"
    with pytest.raises(InvalidInput):
        parse_region("Mars")


def test_the_xero_csv_writes_the_rate_and_date_it_is_given():
    accounts = AccountMap(XERO_CODES)
    journal = daily_journal(date(2026, 3, 2), [ValuedEntry(1, MoveRole.SCRAP, Decimal(5), date(2026, 3, 2),
                                                           date(2026, 3, 2), "NY")], accounts=accounts,
                            currency="USD")
    text = xero.manual_journal_csv([journal], tax_rate="No GST", date_format=DateFormat.MONTH_FIRST.pattern)
    row = text.splitlines()[1].split(",")
    assert (row[1], row[4]) == ("03/02/2026", "No GST")
