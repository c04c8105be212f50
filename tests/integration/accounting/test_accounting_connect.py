"""The OAuth connect step against local stand-ins of Xero's and Intuit's token endpoints and
Xero's connections endpoint: the test plays the browser, calling the loopback redirect URL
with the code and state the consent page would give."""

from __future__ import annotations

import json
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from onhand.adapters.accounting.oauth_connect import QUICKBOOKS, XERO, LoopbackReceiver, connect, quickbooks_token_url
from onhand.adapters.accounting.token_files import TokenFile
from onhand.domain.errors import PushFailed
from tests import quickbooks_stand_in as qbo
from tests import xero_stand_in as xero


class Browser:
    """Given the consent URL, comes back to its redirect URI: first with each of `detours`
    (query parameters, `{state}` filled in), then with the consent."""

    def __init__(self, code: str, *, detours: tuple[dict[str, str], ...] = (), **extra: str) -> None:
        self.code, self.detours, self.extra = code, detours, extra
        self.consent_url = ""
        self.answers: list[tuple[int, str]] = []
        self._thread: threading.Thread | None = None

    def __call__(self, url: str) -> None:
        self.consent_url = url
        self._thread = threading.Thread(target=self._visit, daemon=True)
        self._thread.start()

    @property
    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.consent_url).query).items()}

    def _visit(self) -> None:
        state, redirect = self.query["state"], self.query["redirect_uri"].replace("localhost", "127.0.0.1")
        for params in (*self.detours, {"code": self.code, "state": state, **self.extra}):
            filled = {k: v.format(state=state) for k, v in params.items()}
            answer = httpx.get(f"{redirect}?{urlencode(filled)}", timeout=10)
            self.answers.append((answer.status_code, answer.text))

    def join(self) -> None:
        assert self._thread is not None
        self._thread.join(timeout=10)


@pytest.fixture
def xero_url() -> Iterator[str]:
    with xero.stand_in_xero() as url:
        yield url


@pytest.fixture
def qbo_url() -> Iterator[str]:
    with qbo.stand_in_quickbooks() as url:
        yield url


def test_xero_consent_is_received_checked_exchanged_and_saved_owner_only(xero_url: str, tmp_path: Path):
    browser = Browser(xero.CODE, detours=({"code": "forged", "state": "not-ours"},))
    tokens = TokenFile("xero", tmp_path / "xero.json")
    made = connect(XERO, client_id=xero.CLIENT_ID, client_secret=xero.CLIENT_SECRET, tokens=tokens, show=browser,
                   port=0, timeout=10, token_url=xero.token_url(xero_url),
                   connections_url=xero.connections_url(xero_url))
    browser.join()
    assert browser.consent_url.startswith("https://login.xero.com/identity/connect/authorize?")
    query = browser.query
    assert (query["response_type"], query["client_id"]) == ("code", xero.CLIENT_ID)
    assert {"offline_access", "accounting.transactions"} <= set(query["scope"].split())
    assert query["redirect_uri"].startswith("http://localhost:") and query["redirect_uri"].endswith("/callback")
    assert len(query["state"]) >= 32
    (refused, refused_text), (ok, _) = browser.answers
    assert refused == 400 and "state" in refused_text and ok == 200
    assert (made.company_id, made.company_name) == (xero.TENANT, xero.TENANT_NAME)
    (exchange,) = xero.StandInXero.token_requests
    assert exchange["form"] == {"grant_type": "authorization_code", "code": xero.CODE,
                                "redirect_uri": query["redirect_uri"]}
    assert exchange["headers"]["Authorization"].startswith("Basic ")  # the secret is not in the form
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600
    stored = tokens.read()
    assert stored["refresh_token"] in xero.StandInXero.refresh_tokens and stored["tenant_id"] == xero.TENANT
    assert stored["scope"] == ["openid", "profile", "email", "accounting.transactions", "offline_access"]
    assert xero.CLIENT_SECRET not in json.dumps(stored) and xero.CLIENT_SECRET not in repr(made)


def test_quickbooks_consent_needs_the_realm_and_the_token_endpoint_comes_from_discovery(qbo_url, tmp_path: Path):
    browser = Browser(qbo.CODE, detours=({"code": qbo.CODE, "state": "{state}"},), realmId=qbo.REALM)
    tokens = TokenFile("quickbooks", tmp_path / "qbo.json")
    made = connect(QUICKBOOKS, client_id=qbo.CLIENT_ID, client_secret=qbo.CLIENT_SECRET, tokens=tokens,
                   show=browser, port=0, timeout=10, token_url=quickbooks_token_url(qbo.discovery_url(qbo_url)))
    browser.join()
    assert browser.consent_url.startswith("https://appcenter.intuit.com/connect/oauth2?")
    assert browser.query["scope"] == "com.intuit.quickbooks.accounting" and browser.query["state"]
    assert [status for status, _ in browser.answers] == [400, 200]  # first without realmId
    assert made.company_id == qbo.REALM
    stored = json.loads(tokens.path.read_text())
    assert stored["realm_id"] == qbo.REALM and stored["refresh_token"] in qbo.StandInQuickBooks.refresh_tokens
    assert stored["refresh_token_expires_at"] > stored["expires_at"]
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_a_refused_code_names_the_oauth_error_and_saves_nothing(xero_url: str, tmp_path: Path):
    browser = Browser("spent-code")
    tokens = TokenFile("xero", tmp_path / "xero.json")
    with pytest.raises(PushFailed) as raised:
        connect(XERO, client_id=xero.CLIENT_ID, client_secret=xero.CLIENT_SECRET, tokens=tokens, show=browser,
                port=0, timeout=10, token_url=xero.token_url(xero_url))
    browser.join()
    assert raised.value.reason == "Xero refused the authorization code (HTTP 400, invalid_grant)"
    assert not tokens.path.exists()


def test_a_consent_that_never_comes_ends_the_wait():
    receiver = LoopbackReceiver(XERO, "state", port=0)
    try:
        with pytest.raises(PushFailed, match="no consent arrived"):
            receiver.wait(0.05)
    finally:
        receiver.close()
