"""Pushing a posted day's journal to Xero and QuickBooks Online through their SDKs, against
local stand-ins of their APIs that check what the SDKs send (path, bearer token, tenant or
realm, idempotency key, body) and answer as the services document it; every push recorded."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest

from onhand import services
from onhand.adapters.accounting.quickbooks_push import quickbooks_pusher
from onhand.adapters.accounting.xero_push import xero_pusher
from onhand.bootstrap import Onhand, open_onhand
from onhand.config import QuickBooksSettings, Settings, XeroSettings
from onhand.domain.accounting.commands import PostJournal
from onhand.domain.accounting.journal import Journal
from onhand.domain.errors import Conflict, InvalidInput, PushFailed
from onhand.services.accounting.journal_pushes import content_hash
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


def with_pushers(onhand: Onhand, clock, pushers) -> Onhand:
    instance = Onhand(onhand.engine, clock, pushers)
    add_place(instance, "NY")
    add_item(instance, "W")
    supplier(instance)
    receive(instance, placed(instance, ("W", 4, "2.50")).reference, (1, 4))
    adjust(instance, "NY", "W", -1, reason="lost")
    return instance


@pytest.fixture
def pushing(onhand: Onhand, xero_url: str, clock) -> Onhand:
    return with_pushers(onhand, clock, {"xero": xero_pusher(XeroSettings(TENANT, TOKEN, xero_url))})


def posted(instance: Onhand, clock) -> None:
    clock.advance(days=1)
    services.journals.post_journal(instance, PostJournal(day=DAY))


def test_a_posted_day_is_sent_as_a_posted_manual_journal_and_recorded(pushing, clock):
    posted(pushing, clock)
    pushed = services.journal_pushes.push_journal(pushing, DAY)
    (request,) = StandInXero.received
    assert request["path"] == "/api.xro/2.0/ManualJournals"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert (request["headers"]["xero-tenant-id"], request["headers"]["Idempotency-Key"]) == (TENANT, "ONHAND-20260302")
    (sent,) = request["body"]["ManualJournals"]
    assert sent["Status"] == "POSTED" and sent["Narration"].endswith("(ONHAND-20260302)")
    assert [(ln["AccountCode"], ln["LineAmount"]) for ln in sent["JournalLines"]] == [
        ("310", 2.5), ("630", 7.5), ("850", -10.0)]
    (made,) = StandInXero.journals
    journal = services.journals.get_journal(pushing, DAY).journal
    assert (pushed.status, pushed.target, pushed.day, pushed.reference) == ("sent", "xero", DAY, "ONHAND-20260302")
    assert (pushed.remote_id, pushed.error, pushed.content_hash) == (made["ManualJournalID"], None,
                                                                     content_hash(journal))
    assert pushed.started_at == pushed.finished_at == clock()
    assert services.journal_pushes.journal_pushes(pushing) == [pushed]


def test_a_day_sent_is_not_sent_again_unless_asked_and_then_under_a_new_reference(pushing, clock):
    posted(pushing, clock)
    first = services.journal_pushes.push_journal(pushing, DAY)
    assert services.journal_pushes.push_journal(pushing, DAY) == first
    assert len(StandInXero.received) == 1
    again = services.journal_pushes.push_journal_again(pushing, DAY)
    assert (again.status, again.reference) == ("sent", "ONHAND-20260302-2")
    assert again.remote_id != first.remote_id
    assert StandInXero.received[-1]["headers"]["Idempotency-Key"] == "ONHAND-20260302-2"
    assert StandInXero.journals[-1]["Narration"].endswith("(ONHAND-20260302-2)")
    assert services.journal_pushes.push_journal(pushing, DAY) == again  # the latest sent
    assert [p.reference for p in services.journal_pushes.journal_pushes(pushing, target="xero")] == [
        "ONHAND-20260302", "ONHAND-20260302-2"]


def test_only_a_posted_day_with_lines_is_pushed_and_nothing_is_recorded_otherwise(pushing, clock):
    clock.advance(days=1)
    with pytest.raises(Conflict):
        services.journal_pushes.push_journal(pushing, DAY)  # open days are not sent
    services.journals.post_journal(pushing, PostJournal(day=date(2026, 2, 27)))  # posted, without lines
    with pytest.raises(InvalidInput) as error:
        services.journal_pushes.push_journal(pushing, date(2026, 2, 27))
    assert error.value.field == "day"
    assert StandInXero.received == [] and services.journal_pushes.journal_pushes(pushing, start="2026-02-01") == []


def test_a_refusal_is_recorded_failed_and_the_next_push_goes_under_a_new_reference(pushing, clock):
    posted(pushing, clock)
    StandInXero.refuse = True
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(pushing, DAY)
    assert error.value.target == "xero" and "400" in error.value.message and not error.value.uncertain
    assert TOKEN not in str(error.value) and error.value.__cause__ is None
    (failed,) = services.journal_pushes.journal_pushes(pushing)
    assert (failed.status, failed.remote_id, failed.error) == ("failed", None, error.value.reason)
    StandInXero.refuse = False
    sent = services.journal_pushes.push_journal(pushing, DAY)
    assert (sent.status, sent.reference) == ("sent", "ONHAND-20260302-2")


def test_a_push_whose_answer_was_lost_stays_pending_and_the_next_push_finds_it_there(pushing, clock):
    posted(pushing, clock)
    StandInXero.hang_up = True  # Xero made the journal; the answer never came
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(pushing, DAY)
    assert error.value.uncertain
    StandInXero.hang_up = False
    (pending,) = services.journal_pushes.journal_pushes(pushing)
    assert pending.status == "pending" and pending.remote_id is None
    with pytest.raises(Conflict):
        services.journal_pushes.push_journal_again(pushing, DAY)  # finish the pending one first
    clock.advance(minutes=5)
    found = services.journal_pushes.push_journal(pushing, DAY)
    (made,) = StandInXero.journals
    assert (found.id, found.status, found.remote_id) == (pending.id, "sent", made["ManualJournalID"])
    assert StandInXero.received[-1]["path"].startswith("/api.xro/2.0/ManualJournals?where=")


def test_two_pushes_of_a_day_at_once_make_one_journal_there_and_one_record(pushing, clock):
    posted(pushing, clock)
    start, pushed, errors = threading.Barrier(2), [], []

    def push() -> None:
        start.wait()
        try:
            pushed.append(services.journal_pushes.push_journal(pushing, DAY))
        except Exception as exc:  # collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    (made,) = StandInXero.journals
    (record,) = services.journal_pushes.journal_pushes(pushing)
    assert (record.status, record.remote_id) == ("sent", made["ManualJournalID"])
    assert {p.remote_id for p in pushed} == {made["ManualJournalID"]}


class Interrupted(Exception):
    """The process stopping between recording a push and sending it."""


class Stopping:
    def __init__(self, pusher) -> None:
        self.pusher = pusher

    def send(self, journal: Journal) -> str:
        raise Interrupted

    def find(self, journal: Journal) -> str | None:
        return self.pusher.find(journal)


def test_a_push_left_pending_before_it_was_sent_is_sent_under_its_own_reference(pushing, clock, xero_url):
    posted(pushing, clock)
    stopping = Onhand(pushing.engine, clock, {"xero": Stopping(xero_pusher(XeroSettings(TENANT, TOKEN, xero_url)))})
    with pytest.raises(Interrupted):
        services.journal_pushes.push_journal(stopping, DAY)
    (pending,) = services.journal_pushes.journal_pushes(pushing)
    assert pending.status == "pending" and StandInXero.journals == []
    finished = services.journal_pushes.push_journal(pushing, DAY)
    assert (finished.id, finished.status, finished.reference) == (pending.id, "sent", "ONHAND-20260302")
    assert len(StandInXero.journals) == 1


def test_a_push_again_left_pending_is_finished_by_the_next_push_not_hidden_by_the_first(pushing, clock, xero_url):
    posted(pushing, clock)
    first = services.journal_pushes.push_journal(pushing, DAY)
    stopping = Onhand(pushing.engine, clock, {"xero": Stopping(xero_pusher(XeroSettings(TENANT, TOKEN, xero_url)))})
    with pytest.raises(Interrupted):
        services.journal_pushes.push_journal_again(stopping, DAY)
    finished = services.journal_pushes.push_journal(pushing, DAY)
    assert (finished.reference, finished.status) == ("ONHAND-20260302-2", "sent")
    assert finished.remote_id != first.remote_id and len(StandInXero.journals) == 2


def test_an_unconfigured_target_is_refused_and_settings_hide_the_token(onhand, monkeypatch):
    with pytest.raises(InvalidInput) as error:
        services.journal_pushes.push_journal(onhand, DAY)
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
def qbo_url() -> Iterator[str]:
    with stand_in_quickbooks() as url:
        yield url


@pytest.fixture
def qbo_pushing(onhand: Onhand, clock, qbo_url) -> Onhand:
    return with_pushers(onhand, clock, {"quickbooks": quickbooks_pusher(QuickBooksSettings(QBO_REALM, QBO_TOKEN,
                                                                                           qbo_url))})


def test_a_posted_day_is_created_as_a_quickbooks_journal_entry(qbo_pushing, clock):
    posted(qbo_pushing, clock)
    pushed = services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert (pushed.status, pushed.remote_id, pushed.reference) == ("sent", "148", "ONHAND-20260302")
    (request,) = StandInQuickBooks.received
    path, _, query = request["path"].partition("?")
    assert path == f"/v3/company/{QBO_REALM}/journalentry"
    assert "requestid=ONHAND-20260302" in query and "minorversion=75" in query
    assert request["headers"]["Authorization"] == f"Bearer {QBO_TOKEN}"
    body = request["body"]
    assert (body["DocNumber"], body["TxnDate"]) == ("ONHAND-20260302", "2026-03-02")
    assert [(ln["JournalEntryLineDetail"]["PostingType"], ln["JournalEntryLineDetail"]["AccountRef"]["value"],
             ln["Amount"]) for ln in body["Line"]] == [("Debit", "310", 2.5), ("Debit", "630", 7.5),
                                                       ("Credit", "850", 10.0)]
    assert services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks") == pushed


def test_a_quickbooks_fault_is_a_failed_push_that_does_not_show_the_token(qbo_pushing, clock):
    posted(qbo_pushing, clock)
    StandInQuickBooks.refuse = True
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert error.value.target == "quickbooks" and QBO_TOKEN not in str(error.value)
    (failed,) = services.journal_pushes.journal_pushes(qbo_pushing, target="quickbooks")
    assert failed.status == "failed" and "2500" in failed.error


def test_a_quickbooks_entry_whose_answer_was_lost_is_found_by_its_doc_number(qbo_pushing, clock):
    posted(qbo_pushing, clock)
    StandInQuickBooks.hang_up = True
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert error.value.uncertain
    StandInQuickBooks.hang_up = False
    found = services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert (found.status, found.remote_id) == ("sent", "148") and len(StandInQuickBooks.entries) == 1
    assert StandInQuickBooks.received[-1]["path"].startswith(f"/v3/company/{QBO_REALM}/query")
