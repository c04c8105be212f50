"""The chart of accounts loaded from Xero or QuickBooks: a day whose mapped codes it cannot
take is neither posted nor pushed; QuickBooks gets account Ids; the Xero CSV follows the region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onhand import services
from onhand.adapters.accounting.quickbooks_push import quickbooks_pusher
from onhand.bootstrap import Onhand
from onhand.config import QuickBooksSettings
from onhand.domain.accounting.commands import ImportChart, PostJournal, UpdateAccountingSettings
from onhand.domain.errors import InvalidInput
from tests.integration.accounting.test_journal_push import (  # noqa: F401
    DAY,
    posted,
    pushing,
    qbo_pushing,
    qbo_url,
    xero_url,
)
from tests.integration.helpers import add_item, add_place, adjust
from tests.quickbooks_stand_in import REALM as QBO_REALM
from tests.quickbooks_stand_in import TOKEN as QBO_TOKEN
from tests.quickbooks_stand_in import StandInQuickBooks

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "accounting"
XERO_CHART = (FIXTURES / "xero_chart_of_accounts.csv").read_text()
QBO_LIST = (FIXTURES / "quickbooks_account_list.csv").read_text()


def settings(onhand, **changes):
    return services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(**changes))


@pytest.fixture
def scrapped(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 4, unit_cost="2.50")
    adjust(onhand, "NY", "W", -1, reason="damaged")
    return onhand


def test_a_day_whose_mapped_code_is_not_in_the_loaded_chart_is_not_posted(scrapped, clock):
    loaded = services.account_charts.import_chart(scrapped, ImportChart(text=XERO_CHART))
    assert (loaded.target, loaded.accounts, loaded.ready) == ("xero", 19, True)
    settings(scrapped, accounts={"sales_clearing": "610", "adjustments": "3150"})
    problems = services.account_charts.check_chart(scrapped).problems
    assert [(p.setting, p.code) for p in problems] == [("accounts.adjustments", "3150"),
                                                       ("accounts.sales_clearing", "610")]
    clock.advance(days=1)
    with pytest.raises(InvalidInput) as refused:
        services.journals.post_journal(scrapped, PostJournal(day=DAY))
    assert refused.value.field == "accounts.adjustments" and "'3150'" in refused.value.reason
    assert services.journals.get_journal(scrapped, DAY).status == "open"
    settings(scrapped, accounts={"sales_clearing": "850", "adjustments": "310"})
    assert services.journals.post_journal(scrapped, PostJournal(day=DAY)).status == "posted"


def test_without_a_chart_nothing_is_checked(scrapped, clock):
    settings(scrapped, accounts={"adjustments": "3150"})
    assert services.account_charts.check_chart(scrapped).target is None
    clock.advance(days=1)
    assert services.journals.post_journal(scrapped, PostJournal(day=DAY)).status == "posted"


def test_quickbooks_gets_its_standard_accounts_as_ids_in_the_export_and_the_push(qbo_pushing, clock):  # noqa: F811
    settings(qbo_pushing, target="quickbooks")
    assert services.accounting_settings.get_accounting_settings(qbo_pushing).accounts["inventory"] == \
        "Inventory Asset"
    assert services.account_charts.import_chart(qbo_pushing, ImportChart(text=QBO_LIST)).ready
    export = json.loads(services.journals.export_journals(qbo_pushing, DAY, format="qbo-json").content)
    assert [ln["JournalEntryLineDetail"]["AccountRef"]["value"] for ln in export["Line"]] == ["80", "81", "4"]
    posted(qbo_pushing, clock)
    services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    (request,) = StandInQuickBooks.received
    assert [ln["JournalEntryLineDetail"]["AccountRef"]["value"] for ln in request["body"]["Line"]] == \
        ["80", "81", "4"]


def test_a_push_to_the_system_of_the_chart_is_refused_when_a_posted_code_is_not_in_it(qbo_pushing, clock):  # noqa: F811
    posted(qbo_pushing, clock)  # Xero's codes, as the company had not chosen QuickBooks
    services.account_charts.import_chart(qbo_pushing, ImportChart(text=QBO_LIST, target="quickbooks"))
    with pytest.raises(InvalidInput) as refused:
        services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert refused.value.field == "accounts.adjustments" and "'310'" in refused.value.reason
    assert StandInQuickBooks.received == [] and services.journal_pushes.journal_pushes(qbo_pushing) == []


def test_the_xero_csv_uses_the_regions_tax_rate_and_date_format_or_those_set(scrapped):
    def first_row():
        return services.journals.export_journals(scrapped, DAY, format="xero-csv").content.splitlines()[1].split(",")

    assert first_row()[1:5:3] == ["02/03/2026", "Tax Exempt"]
    chosen = settings(scrapped, region="US")
    assert (chosen.region, chosen.tax_rate, chosen.date_format) == ("US", "Tax Exempt", "mm/dd/yyyy")
    assert first_row()[1:5:3] == ["03/02/2026", "Tax Exempt"]
    settings(scrapped, region="NZ", tax_rate="No GST on Inventory", date_format="yyyy-mm-dd")
    assert first_row()[1:5:3] == ["2026-03-02", "No GST on Inventory"]
    settings(scrapped, tax_rate="", date_format="")
    assert first_row()[1:5:3] == ["02/03/2026", "No GST"]
    with pytest.raises(InvalidInput) as refused:
        settings(scrapped, date_format="2026/03/02")
    assert refused.value.field == "date_format"


def test_a_connected_system_gives_its_chart_through_its_api(pushing, qbo_url, clock):  # noqa: F811
    fetched = services.account_charts.fetch_chart(pushing, target="xero")
    assert (fetched.target, fetched.accounts, fetched.ready) == ("xero", 8, True)  # the archived one left out
    settings(pushing, accounts={"sales_clearing": "610", "inventory": "090"})
    assert {(p.setting, p.code) for p in services.account_charts.check_chart(pushing).problems} == {
        ("accounts.sales_clearing", "610"), ("accounts.inventory", "090")}
    with pytest.raises(InvalidInput) as refused:
        services.account_charts.fetch_chart(pushing, target="quickbooks")
    assert refused.value.field == "target"
    qbo = Onhand(pushing.engine, clock, {"quickbooks": quickbooks_pusher(QuickBooksSettings(
        QBO_REALM, QBO_TOKEN, qbo_url))})
    settings(qbo, target="quickbooks", accounts={"sales_clearing": "Uncategorized Asset",
                                                 "inventory": "Inventory Asset"})
    fetched = services.account_charts.fetch_chart(qbo, target="quickbooks")
    assert (fetched.target, fetched.accounts, fetched.ready) == ("quickbooks", 8, True)
