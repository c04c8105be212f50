"""OAuth tokens of the pushes: an expired access token is refreshed once (by the SDKs: xero-python's
OAuth2Token, intuit-oauth's AuthClient) at the stand-ins' token endpoints, the rotated refresh
token is saved owner-only, and a refused refresh is a failed push whose message, record and
logs hold no token or secret."""

from __future__ import annotations

import json
import logging
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from onhand import services
from onhand.adapters.accounting.quickbooks_push import quickbooks_pusher
from onhand.adapters.accounting.xero_push import xero_pusher
from onhand.bootstrap import Onhand, open_onhand
from onhand.config import OAuthClient, QuickBooksSettings, Settings, XeroSettings
from onhand.domain.errors import PushFailed
from tests import quickbooks_stand_in as qbo
from tests import xero_stand_in as xero
from tests.integration.accounting.test_journal_push import DAY, posted, with_pushers


def write_tokens(path: Path, **token: object) -> None:
    path.write_text(json.dumps(token))
    path.chmod(0o600)


def stored(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    return tmp_path / "tokens" / "accounting.json"


@pytest.fixture
def xero_url() -> Iterator[str]:
    with xero.stand_in_xero() as url:
        yield url


def xero_settings(url: str, token_file: Path, refresh_token: str | None = None) -> XeroSettings:
    oauth = OAuthClient(xero.CLIENT_ID, xero.CLIENT_SECRET, token_file, refresh_token)
    return XeroSettings(xero.TENANT, None, url, oauth=oauth, token_url=xero.token_url(url))


@pytest.fixture
def xero_pushing(onhand: Onhand, clock, xero_url: str, token_file: Path) -> Onhand:
    instance = with_pushers(onhand, clock, {"xero": xero_pusher(xero_settings(xero_url, token_file))})
    posted(instance, clock)
    return instance


def secrets_in(text: str, *secrets: str) -> list[str]:
    return [s for s in secrets if s in text]


def test_an_access_token_expired_by_the_clock_is_refreshed_once_before_the_push(xero_pushing, token_file):
    token_file.parent.mkdir()
    write_tokens(token_file, access_token="old-access", refresh_token=xero.REFRESH, expires_at=time.time() - 10,
                 scope=["offline_access", "accounting.transactions"])
    pushed = services.journal_pushes.push_journal(xero_pushing, DAY)
    assert pushed.status == "sent"
    (refresh,) = xero.StandInXero.token_requests
    assert (refresh["form"]["grant_type"], refresh["form"]["refresh_token"]) == ("refresh_token", xero.REFRESH)
    (request,) = xero.StandInXero.received
    now = stored(token_file)
    assert request["headers"]["Authorization"] == f"Bearer {now['access_token']}"
    # Rotation: the new refresh token is saved (the old one is spent), owner-only.
    assert now["refresh_token"] in xero.StandInXero.refresh_tokens
    assert xero.REFRESH not in xero.StandInXero.refresh_tokens
    assert now["expires_at"] > time.time() + 1700
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600


def test_an_access_token_xero_refuses_is_refreshed_once_and_the_push_made_again(xero_pushing, token_file):
    token_file.parent.mkdir()
    write_tokens(token_file, access_token="revoked-access", refresh_token=xero.REFRESH,
                 expires_at=time.time() + 1000, scope=["offline_access", "accounting.transactions"])
    pushed = services.journal_pushes.push_journal(xero_pushing, DAY)
    assert pushed.status == "sent" and len(xero.StandInXero.journals) == 1
    assert len(xero.StandInXero.token_requests) == 1
    refused, accepted = xero.StandInXero.received
    assert refused["headers"]["Authorization"] == "Bearer revoked-access"
    assert accepted["headers"]["Authorization"] == f"Bearer {stored(token_file)['access_token']}"


def test_the_first_refresh_token_seeds_the_token_file(xero_pushing, onhand, clock, xero_url, token_file):
    seeded = Onhand(onhand.engine, clock, {"xero": xero_pusher(xero_settings(xero_url, token_file, xero.REFRESH))})
    assert services.journal_pushes.push_journal(seeded, DAY).status == "sent"
    assert stored(token_file)["refresh_token"] in xero.StandInXero.refresh_tokens
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600


def test_a_refused_refresh_is_a_failed_push_with_no_secret_anywhere(xero_pushing, token_file, caplog):
    caplog.set_level(logging.DEBUG)
    token_file.parent.mkdir()
    write_tokens(token_file, access_token="old-access", refresh_token="spent-refresh-token", expires_at=0)
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(xero_pushing, DAY)
    assert "refresh the access token (HTTP 400)" in error.value.reason
    assert "connect Onhand to Xero" in error.value.reason
    (failed,) = services.journal_pushes.journal_pushes(xero_pushing)
    assert (failed.status, failed.error) == ("failed", error.value.reason)
    assert xero.StandInXero.received == []  # nothing sent with a dead token
    secrets = (xero.CLIENT_SECRET, "spent-refresh-token", "old-access")
    assert not secrets_in(str(error.value) + repr(error.value) + failed.error + caplog.text, *secrets)
    assert not secrets_in(repr(xero_settings("u", token_file, "spent-refresh-token")), *secrets)


def test_a_token_file_others_may_read_is_refused(xero_pushing, token_file):
    token_file.parent.mkdir()
    write_tokens(token_file, refresh_token=xero.REFRESH, expires_at=0)
    token_file.chmod(0o644)
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(xero_pushing, DAY)
    assert "chmod 600" in error.value.reason and xero.StandInXero.token_requests == []


def test_the_environment_configures_the_oauth_apps(monkeypatch, token_file, database_url):
    for name, value in {"ONHAND_XERO_TENANT_ID": xero.TENANT, "ONHAND_XERO_CLIENT_ID": xero.CLIENT_ID,
                        "ONHAND_XERO_CLIENT_SECRET": xero.CLIENT_SECRET, "ONHAND_XERO_TOKEN_FILE": str(token_file),
                        "ONHAND_XERO_REFRESH_TOKEN": xero.REFRESH, "ONHAND_QBO_REALM_ID": qbo.REALM,
                        "ONHAND_QBO_CLIENT_ID": qbo.CLIENT_ID, "ONHAND_QBO_CLIENT_SECRET": qbo.CLIENT_SECRET,
                        "ONHAND_QBO_TOKEN_FILE": str(token_file.with_name("qbo.json")),
                        "ONHAND_QBO_ENVIRONMENT": "sandbox"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env(database_url)
    assert settings.xero is not None and settings.xero.oauth is not None and settings.xero.access_token is None
    assert settings.xero.oauth.token_file == token_file and settings.xero.oauth.refresh_token == xero.REFRESH
    assert settings.quickbooks is not None and settings.quickbooks.environment == "sandbox"
    assert not secrets_in(repr(settings), xero.CLIENT_SECRET, xero.REFRESH, qbo.CLIENT_SECRET)
    instance = open_onhand(database_url)
    try:
        assert sorted(instance.journal_pushers) == ["quickbooks", "xero"]
    finally:
        instance.close()


@pytest.fixture
def qbo_url() -> Iterator[str]:
    with qbo.stand_in_quickbooks() as url:
        yield url


@pytest.fixture
def qbo_pushing(onhand: Onhand, clock, qbo_url: str, token_file: Path) -> Onhand:
    oauth = OAuthClient(qbo.CLIENT_ID, qbo.CLIENT_SECRET, token_file)
    settings = QuickBooksSettings(qbo.REALM, None, qbo_url, oauth=oauth, environment=qbo.discovery_url(qbo_url))
    instance = with_pushers(onhand, clock, {"quickbooks": quickbooks_pusher(settings)})
    posted(instance, clock)
    return instance


def test_an_expired_quickbooks_token_is_refreshed_by_intuit_oauth_and_the_rotated_one_saved(qbo_pushing, token_file):
    token_file.parent.mkdir()
    write_tokens(token_file, access_token="old-access", refresh_token=qbo.REFRESH, expires_at=time.time() - 10)
    pushed = services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert pushed.status == "sent"
    (refresh,) = qbo.StandInQuickBooks.token_requests
    assert refresh["form"] == {"grant_type": "refresh_token", "refresh_token": qbo.REFRESH}
    assert refresh["headers"]["Authorization"].startswith("Basic ")
    now = stored(token_file)
    (request,) = qbo.StandInQuickBooks.received
    assert request["headers"]["Authorization"] == f"Bearer {now['access_token']}"
    assert now["refresh_token"] in qbo.StandInQuickBooks.refresh_tokens and now["refresh_token"] != qbo.REFRESH
    assert now["expires_at"] > time.time() + 3500 and now["refresh_token_expires_at"] > time.time() + 8_000_000
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600


def test_a_quickbooks_401_is_refreshed_once_and_the_entry_created(qbo_pushing, token_file):
    token_file.parent.mkdir()
    write_tokens(token_file, access_token="revoked-access", refresh_token=qbo.REFRESH, expires_at=time.time() + 900)
    pushed = services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert pushed.status == "sent" and len(qbo.StandInQuickBooks.entries) == 1
    assert len(qbo.StandInQuickBooks.token_requests) == 1
    assert [r["headers"]["Authorization"] for r in qbo.StandInQuickBooks.received] == [
        "Bearer revoked-access", f"Bearer {stored(token_file)['access_token']}"]


def test_a_refused_quickbooks_refresh_is_a_failed_push_with_no_secret_anywhere(qbo_pushing, token_file, caplog):
    caplog.set_level(logging.DEBUG)
    token_file.parent.mkdir()
    write_tokens(token_file, access_token="old-access", refresh_token="spent-refresh-token", expires_at=0)
    with pytest.raises(PushFailed) as error:
        services.journal_pushes.push_journal(qbo_pushing, DAY, target="quickbooks")
    assert "(HTTP 400, invalid_grant)" in error.value.reason and "connect Onhand to QuickBooks" in error.value.reason
    (failed,) = services.journal_pushes.journal_pushes(qbo_pushing, target="quickbooks")
    assert (failed.status, failed.error) == ("failed", error.value.reason)
    secrets = (qbo.CLIENT_SECRET, "spent-refresh-token", "old-access")
    assert not secrets_in(str(error.value) + failed.error + caplog.text, *secrets)
    assert qbo.StandInQuickBooks.received == []
