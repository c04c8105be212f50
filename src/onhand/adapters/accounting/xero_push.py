"""Pushing posted journals to Xero through the SDK: `AccountingApi.create_manual_journals`.

Tokens: with an OAuth app configured (`config.XeroSettings.oauth`), the SDK's own
refresh does the work — `ApiClient(oauth2_token_getter=…, oauth2_token_saver=…)` reads
the token file before each call, `OAuth2Token` refreshes an access token about to expire
(Xero's last 30 minutes) at Xero's identity endpoint (`grant_type=refresh_token`), and
the saver writes the rotated pair back at once (the old refresh token is dead). An
access token Xero still refuses (HTTP 401: revoked, or a clock ahead of ours) is
refreshed once with `ApiClient.refresh_oauth2_token` and the call made again. A fixed
`access_token` is used as it is.

Tokens and the client secret are only sent (headers, the token request's form), never
logged, returned or put in an error message: errors name the HTTP status, no more.
The push's reference is the request's `Idempotency-Key` and ends the narration, so a
retried push does not make a second manual journal and `find` can look for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

import urllib3
from xero_python.accounting import AccountingApi, ManualJournals
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.exceptions import ApiException, OpenApiException

from onhand.adapters.accounting.token_files import TokenFile
from onhand.adapters.accounting.xero import manual_journal
from onhand.config import OAuthClient, XeroSettings
from onhand.domain.accounting.charts import ChartAccount
from onhand.domain.accounting.journal import Journal
from onhand.domain.errors import PushFailed

XERO_API_URL = AccountingApi.base_url
XERO_TOKEN_URL = TokenApi.refresh_token_url
SCOPES = ["offline_access", "accounting.transactions"]  # what a refresh asks for when the file names none
TIMEOUT = (10, 60)  # seconds to connect, to read an answer
GONE = {"VOIDED", "DELETED"}
_STATUS = re.compile(r"status (\d{3})")
T = TypeVar("T")


class _RefreshingToken(OAuth2Token):
    """The SDK's token, refreshed at the configured identity endpoint; a failed refresh is a PushFailed."""

    def __init__(self, oauth: OAuthClient, token_url: str) -> None:
        super().__init__(client_id=oauth.client_id, client_secret=oauth.client_secret)
        self.token_url = token_url

    def call_refresh_token_api(self, token_api: TokenApi) -> dict[str, Any]:
        token_api.refresh_token_url = self.token_url
        try:
            return super().call_refresh_token_api(token_api)
        except urllib3.exceptions.HTTPError:
            raise PushFailed("xero", "Xero's identity service could not be reached to refresh the access "
                                     "token") from None
        except Exception as exc:  # an ApiException, or the SDK's bare Exception("refresh token status 400 …")
            found = _STATUS.search(str(exc))
            status = _status(exc) if isinstance(exc, OpenApiException) else found.group(1) if found else "?"
            raise PushFailed("xero", f"Xero refused to refresh the access token (HTTP {status}): the refresh token "
                                     "expired, was revoked or was already used; connect Onhand to Xero again") from None


def _uncertain(exc: urllib3.exceptions.HTTPError) -> bool:
    """Whether the request may have reached Xero: it was not refused before a connection was made."""
    reason = exc.reason if isinstance(exc, urllib3.exceptions.MaxRetryError) else exc
    return not isinstance(reason, urllib3.exceptions.ConnectTimeoutError)


def _sdk_token(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored token as `OAuth2Token.update_token` takes it (a seeded file holds only a refresh token)."""
    return {"access_token": stored.get("access_token"), "refresh_token": stored["refresh_token"],
            "expires_at": stored.get("expires_at"), "expires_in": stored.get("expires_in"),
            "token_type": stored.get("token_type") or "Bearer", "scope": stored.get("scope") or SCOPES}


def _text(value: Any) -> str:
    """An SDK enum (or plain text) as its text."""
    return str(getattr(value, "value", value) or "")


def _status(exc: OpenApiException) -> int | None:
    # The HTTP status (the SDK's `status` of a 400 is Xero's message text).
    return getattr(getattr(exc, "http_resp", None), "status", None) or getattr(exc, "_status", None)


class XeroJournals:
    """Posted journals to one Xero organisation (tenant): `send` creates, `find` looks one up by reference."""

    def __init__(self, settings: XeroSettings) -> None:
        self.settings = settings
        oauth = settings.oauth
        self.tokens = TokenFile("xero", oauth.token_file, oauth.refresh_token) if oauth else None

    def send(self, journal: Journal) -> str:
        body = ManualJournals(manual_journals=[manual_journal(journal, status="POSTED")])
        created = self._call(lambda api: api.create_manual_journals(
            self.settings.tenant_id, body, idempotency_key=journal.reference, _request_timeout=TIMEOUT),
            f"the journal of {journal.day}")
        (made,) = created.manual_journals
        return str(made.manual_journal_id)

    def find(self, journal: Journal) -> str | None:
        narration = manual_journal(journal, status="POSTED").narration
        found = self._call(lambda api: api.get_manual_journals(
            self.settings.tenant_id, where=f'Narration=="{narration}"', _request_timeout=TIMEOUT),
            f"the search for {journal.reference}")
        for made in found.manual_journals or []:
            if made.narration == narration and getattr(made.status, "value", made.status) not in GONE:
                return str(made.manual_journal_id)
        return None

    def accounts(self) -> list[ChartAccount]:
        """`GET Accounts`: every account not archived, with its type and SystemAccount."""
        found = self._call(lambda api: api.get_accounts(self.settings.tenant_id, _request_timeout=TIMEOUT),
                           "the chart of accounts")
        return [ChartAccount(a.code or None, a.name or "", _text(a.type), _text(a.system_account) or None,
                             str(a.account_id) if a.account_id else None, a.tax_type or None)
                for a in found.accounts or [] if _text(a.status) != "ARCHIVED"]

    @contextmanager
    def _client(self) -> Iterator[ApiClient]:
        settings, tokens = self.settings, self.tokens
        if tokens is not None and settings.oauth is not None:
            token = _RefreshingToken(settings.oauth, settings.token_url or XERO_TOKEN_URL)
            getter: Callable[[], dict[str, Any]] = lambda: _sdk_token(tokens.read())  # noqa: E731
            saver: Callable[[dict[str, Any]], None] = tokens.save
        else:
            fixed = {"access_token": settings.access_token, "token_type": "Bearer", "expires_in": None,
                     "scope": SCOPES}
            token, getter, saver = OAuth2Token(), (lambda: fixed), (lambda _token: None)
        # Configuration() is a copy of the first one ever made, whatever its arguments: set the token after.
        configuration = Configuration()
        configuration.oauth2_token = token
        with self.tokens.held() if self.tokens is not None else nullcontext():
            yield ApiClient(configuration, pool_threads=1, oauth2_token_getter=getter, oauth2_token_saver=saver)

    def _call(self, call: Callable[[AccountingApi], T], what: str) -> T:
        with self._client() as client:
            api = AccountingApi(client, base_url=self.settings.api_url or XERO_API_URL)
            try:
                try:
                    return call(api)
                except ApiException as exc:
                    # Refused although not expired by our clock: refresh once, then try again.
                    if _status(exc) != 401 or self.tokens is None:
                        raise
                    client.refresh_oauth2_token()
                    return call(api)
            except OpenApiException as exc:
                raise PushFailed("xero", f"Xero refused {what} (HTTP {_status(exc)})") from None
            except urllib3.exceptions.HTTPError as exc:
                raise PushFailed("xero", "Xero could not be reached", uncertain=_uncertain(exc)) from None


def xero_pusher(settings: XeroSettings) -> XeroJournals:
    return XeroJournals(settings)
