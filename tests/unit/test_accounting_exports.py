"""Journals exported for Xero (API JSON and CSV import), QuickBooks Online and plain CSV."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
import xero_python.accounting.models as xero_models
from quickbooks.objects.journalentry import JournalEntry
from xero_python.api_client import ModelFinder
from xero_python.api_client.deserializer import deserialize

from onhand.adapters.accounting import csv_export, quickbooks, xero
from onhand.domain.accounting.accounts import AccountMap, AccountRole
from onhand.domain.accounting.journal import Journal, SaleEntry, ValuedEntry, daily_journal
from onhand.domain.errors import InvalidInput
from onhand.domain.valuation.move_roles import MoveRole

D = Decimal
DAY = date(2026, 3, 2)
ACCOUNTS = AccountMap({role: code for role, code in zip(
    AccountRole, ["630", "310", "2150", "320", "330", "200", "610", "860", "840", "210", "5100"], strict=True)})


def journal(tracking: str | None = "Location") -> Journal:
    entries = [
        ValuedEntry(1, MoveRole.RECEIPT, D("110.004"), DAY, DAY, "NY"),
        ValuedEntry(2, MoveRole.SHIPMENT, D("82.50"), DAY, DAY, "NY"),
        ValuedEntry(3, MoveRole.TRANSFER, D("10.00"), DAY, DAY, "NY", destination="LA"),
        ValuedEntry(4, MoveRole.SHIPMENT, D("3.333333"), date(2026, 3, 1), DAY, "LA"),
    ]
    sales = [SaleEntry(1, D("150.00"), DAY, DAY, "NY")]
    return daily_journal(DAY, entries, sales, accounts=ACCOUNTS, currency="USD", tracking_category=tracking)


def test_every_export_starts_from_a_journal_whose_debits_equal_its_credits():
    made = journal()
    assert made.debits == made.credits and made.debits > 0


def test_the_xero_payload_is_what_the_sdk_sends_and_reads_back_as_a_manual_journal():
    made = journal()
    payload = xero.manual_journals_payload([made])
    body = payload["ManualJournals"][0]
    assert body["Narration"] == "Onhand inventory summary 2026-03-02 (ONHAND-20260302)"
    assert body["Date"] == "/Date(1772409600000)/"  # the SDK's date[ms-format]: midnight UTC of the day
    assert (body["LineAmountTypes"], body["Status"]) == ("NoTax", "POSTED")
    assert sum(D(repr(line["LineAmount"])) for line in body["JournalLines"]) == 0
    assert {"AccountCode", "LineAmount", "Description"} <= set(body["JournalLines"][0])
    tracked = [line for line in body["JournalLines"] if "Tracking" in line]
    assert tracked and tracked[0]["Tracking"] == [{"Name": "Location", "Option": tracked[0]["Tracking"][0]["Option"]}]

    back = deserialize("ManualJournals", json.loads(xero.manual_journals_json([made])), ModelFinder(xero_models))
    (model,) = back.manual_journals
    assert model.date == DAY and model.narration == body["Narration"]
    assert [(line.account_code, D(line.line_amount).quantize(D("0.01"))) for line in model.journal_lines] == [
        (line.account, line.amount) for line in made.lines
    ]


def test_the_xero_json_is_byte_identical_when_the_journal_is_made_again():
    assert xero.manual_journals_json([journal()]).encode() == xero.manual_journals_json([journal()]).encode()


def test_the_xero_csv_has_the_import_template_columns_and_signed_amounts():
    made = journal()
    text = xero.manual_journal_csv([made], tax_rate="Tax Exempt")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount",
                       "TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2"]
    assert {row[1] for row in rows[1:]} == {"02/03/2026"}
    assert sum(D(row[5]) for row in rows[1:]) == 0
    assert len(rows) - 1 == len(made.lines)
    assert ["Location", "LA"] in [row[6:8] for row in rows[1:]]
    assert text.endswith("\r\n") and text == xero.manual_journal_csv([journal()], tax_rate="Tax Exempt")


def test_xero_csv_refuses_more_lines_than_one_import_takes():
    big = journal()
    many = Journal(big.day, big.currency, big.narration, big.reference, big.lines * 40, big.tracking_category)
    with pytest.raises(InvalidInput):
        xero.manual_journal_csv([many])


def test_the_quickbooks_entry_is_a_balanced_journal_entry_the_sdk_reads_back():
    made = journal()
    text = quickbooks.journal_entry_json(made, account_ids={"630": "81"}, department_ids={"NY": "1"})
    data = json.loads(text)
    assert (data["TxnDate"], data["DocNumber"], data["CurrencyRef"]) == ("2026-03-02", "ONHAND-20260302",
                                                                       {"value": "USD"})
    assert "TotalAmt" not in data
    totals = {"Debit": D(0), "Credit": D(0)}
    for line in data["Line"]:
        detail = line["JournalEntryLineDetail"]
        assert line["DetailType"] == "JournalEntryLineDetail" and D(repr(line["Amount"])) > 0
        assert set(detail) >= {"PostingType", "AccountRef"} and "TaxAmount" not in detail
        totals[detail["PostingType"]] += D(repr(line["Amount"]))
    assert totals["Debit"] == totals["Credit"] == made.debits
    assert {"value": "81"} in [line["JournalEntryLineDetail"]["AccountRef"] for line in data["Line"]]
    assert any(line["JournalEntryLineDetail"].get("DepartmentRef") == {"value": "1", "name": "NY"}
               for line in data["Line"])
    assert any("[Location: LA]" in line["Description"] for line in data["Line"])

    back = JournalEntry.from_json(data)
    assert len(back.Line) == len(made.lines)
    assert back.Line[0].JournalEntryLineDetail.AccountRef.value == data["Line"][0]["JournalEntryLineDetail"][
        "AccountRef"]["value"]
    assert text == quickbooks.journal_entry_json(journal(), account_ids={"630": "81"}, department_ids={"NY": "1"})


def test_the_plain_csv_has_one_row_per_line_and_balances():
    made = journal(tracking=None)
    rows = list(csv.DictReader(io.StringIO(csv_export.journal_csv([made]))))
    assert list(rows[0]) == list(csv_export.CSV_COLUMNS)
    assert len(rows) == len(made.lines)
    assert sum(D(r["debit"] or 0) for r in rows) == sum(D(r["credit"] or 0) for r in rows) == made.debits
    assert {r["effective_date"] for r in rows} == {"2026-03-01", "2026-03-02"}


def test_an_empty_journal_is_not_sent():
    empty = daily_journal(DAY, [], accounts=ACCOUNTS, currency="USD")
    with pytest.raises(InvalidInput):
        xero.manual_journal(empty)
    with pytest.raises(InvalidInput):
        quickbooks.journal_entry(empty)
