"""Pushing a posted day's journal to Xero through the SDK, against a local stand-in of the
Accounting API that checks what the SDK sends (PUT /ManualJournals, bearer token, tenant,
idempotency key, the ManualJournals body) and answers as Xero documents it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from onhand import services
from onhand.adapters.accounting.xero_push import xero_pusher
from onhand.bootstrap import Onhand, open_onhand
from onhand.config import Settings, XeroSettings
from onhand.domain.errors import Conflict, InvalidInput, PushFailed
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.purchasing_helpers import placed, receive, supplier
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


def test_open_onhand_configures_xero_from_the_environment(database_url, monkeypatch, xero_url):
    monkeypatch.setenv("ONHAND_XERO_TENANT_ID", TENANT)
    monkeypatch.setenv("ONHAND_XERO_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("ONHAND_XERO_API_URL", xero_url)
    instance = open_onhand(database_url)
    try:
        assert list(instance.journal_pushers) == ["xero"]
    finally:
        instance.close()
