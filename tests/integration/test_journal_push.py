"""Pushing a posted day's journal to Xero and QuickBooks Online through their SDKs, against
local stand-ins of their APIs that check what the SDKs send (path, bearer token, tenant or
realm, idempotency key, body) and answer as the services document it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from onhand import services
from onhand.adapters.accounting.quickbooks_push import quickbooks_pusher
from onhand.adapters.accounting.xero_push import xero_pusher
from onhand.bootstrap import Onhand, open_onhand
from onhand.config import QuickBooksSettings, Settings, XeroSettings
from onhand.domain.errors import Conflict, InvalidInput, PushFailed
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.purchasing_helpers import placed, receive, supplier
from tests.quickbooks_stand_in import REALM as QBO_REALM
from tests.quickbooks_stand_in import TOKEN as QBO_TOKEN
from tests.quickbooks_stand_in import StandInQuickBooks, stand_in_quickbooks
from tests.xero_stand_in import TENANT, TOKEN, StandInXero, stand_in_xero

DAY = date(2026, 3, 2)


@pytest.fixture
def xero_url() -> Iterator[str]:
    with stand_in_xero() as url:
        yield url


@pytest.fixture
def pushing(onhand: Onhand, xero_url: str, clock) -> Onhand:
    pushers = {"xero": xero_pusher(XeroSettings(TENANT, TOKEN, xero_url))}
    instance = Onhand(onhand.engine, clock, pushers)
    add_place(instance, "NY")
    add_item(instance, "W")
    supplier(instance)
    receive(instance, placed(instance, ("W", 4, "2.50")).reference, (1, 4))
    adjust(instance, "NY", "W", -1, reason="lost")
    return instance


def test_a_posted_day_is_sent_as_a_posted_manual_journal(pushing, clock):
    clock.advance(days=1)
    with pytest.raises(Conflict):
        services.journals.push_journal(pushing, DAY)  # open days are not sent
    services.journals.post_journal(pushing, DAY)
    pushed = services.journals.push_journal(pushing, DAY)
    (request,) = StandInXero.received
    assert request["path"] == "/api.xro/2.0/ManualJournals"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert (request["headers"]["xero-tenant-id"], request["headers"]["Idempotency-Key"]) == (TENANT, "ONHAND-20260302")
    (sent,) = request["body"]["ManualJournals"]
    assert sent["Status"] == "POSTED" and sent["Narration"].endswith("(ONHAND-20260302)")
    assert [(ln["AccountCode"], ln["LineAmount"]) for ln in sent["JournalLines"]] == [
        ("2150", -10.0), ("320", 2.5), ("630", 7.5)]
    assert pushed.remote_id == str(uuid.uuid5(uuid.NAMESPACE_URL, sent["Narration"]))


def test_a_refusal_is_a_push_error_that_does_not_show_the_token(pushing, clock):
    clock.advance(days=1)
    services.journals.post_journal(pushing, DAY)
    StandInXero.refuse = True
    with pytest.raises(PushFailed) as error:
        services.journals.push_journal(pushing, DAY)
    assert error.value.target == "xero" and "400" in error.value.message
    assert TOKEN not in str(error.value) and error.value.__cause__ is None


def test_an_unconfigured_target_is_refused_and_settings_hide_the_token(onhand, monkeypatch):
    with pytest.raises(InvalidInput) as error:
        services.journals.push_journal(onhand, DAY)
    assert error.value.field == "target"
    monkeypatch.setenv("ONHAND_XERO_TENANT_ID", TENANT)
    monkeypatch.setenv("ONHAND_XERO_ACCESS_TOKEN", TOKEN)
    settings = Settings.from_env("sqlite://")
    assert settings.xero is not None and TOKEN not in repr(settings)


def test_open_onhand_configures_xero_and_quickbooks_from_the_environment(database_url, monkeypatch, xero_url):
    monkeypatch.setenv("ONHAND_XERO_TENANT_ID", TENANT)
    monkeypatch.setenv("ONHAND_XERO_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("ONHAND_XERO_API_URL", xero_url)
    monkeypatch.setenv("ONHAND_QBO_REALM_ID", QBO_REALM)
    monkeypatch.setenv("ONHAND_QBO_ACCESS_TOKEN", QBO_TOKEN)
    instance = open_onhand(database_url)
    try:
        assert sorted(instance.journal_pushers) == ["quickbooks", "xero"]
        assert QBO_TOKEN not in repr(Settings.from_env(database_url))
    finally:
        instance.close()


@pytest.fixture
def qbo_pushing(onhand: Onhand, clock) -> Iterator[Onhand]:
    with stand_in_quickbooks() as url:
        instance = Onhand(onhand.engine, clock, {"quickbooks": quickbooks_pusher(
            QuickBooksSettings(QBO_REALM, QBO_TOKEN, url))})
        add_place(instance, "NY")
        add_item(instance, "W")
        supplier(instance)
        receive(instance, placed(instance, ("W", 4, "2.50")).reference, (1, 4))
        yield instance


def test_a_posted_day_is_created_as_a_quickbooks_journal_entry(qbo_pushing, clock):
    clock.advance(days=1)
    services.journals.post_journal(qbo_pushing, DAY)
    pushed = services.journals.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert pushed.remote_id == "148"
    (request,) = StandInQuickBooks.received
    path, _, query = request["path"].partition("?")
    assert path == f"/v3/company/{QBO_REALM}/journalentry"
    assert "requestid=ONHAND-20260302" in query and "minorversion=75" in query
    assert request["headers"]["Authorization"] == f"Bearer {QBO_TOKEN}"
    body = request["body"]
    assert (body["DocNumber"], body["TxnDate"]) == ("ONHAND-20260302", "2026-03-02")
    assert [(ln["JournalEntryLineDetail"]["PostingType"], ln["JournalEntryLineDetail"]["AccountRef"]["value"],
             ln["Amount"]) for ln in body["Line"]] == [("Credit", "2150", 10.0), ("Debit", "630", 10.0)]


def test_a_quickbooks_fault_is_a_push_error_that_does_not_show_the_token(qbo_pushing, clock):
    clock.advance(days=1)
    services.journals.post_journal(qbo_pushing, DAY)
    StandInQuickBooks.refuse = True
    with pytest.raises(PushFailed) as error:
        services.journals.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert error.value.target == "quickbooks" and QBO_TOKEN not in str(error.value)
