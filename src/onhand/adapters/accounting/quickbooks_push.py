"""Pushing posted journals to QuickBooks Online through python-quickbooks: `JournalEntry.save`.

Tokens: with an OAuth app configured (`config.QuickBooksSettings.oauth`), the current
pair is read from the token file; an access token about to expire (QBO's last an hour)
is refreshed with intuit-oauth's `AuthClient.refresh` (`grant_type=refresh_token` at the
token endpoint of Intuit's discovery document, `environment`), and the pair it returns
— the refresh token may rotate — is written back at once. An access token QBO still
refuses (HTTP 401) is refreshed once and the request made again. A fixed `access_token`
is used as it is. The SDK's session is a plain bearer-token session (python-quickbooks'
own `QuickBooks(auth_client=…)` fetches the discovery document on every client; here it
is fetched only to refresh).

Tokens and the client secret are never logged, returned or put in an error message:
errors name the HTTP status or QBO's error code, no more. The push's reference is the
request's `requestid` (QBO's idempotency key) and the entry's DocNumber, so a retried
push does not make a second entry and `find` can look for it. Onhand's account codes
are sent as QBO account ids (`adapters/accounting/quickbooks.py`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, TypeVar

import requests
import urllib3
from intuitlib.client import AuthClient
from intuitlib.exceptions import AuthClientError
from quickbooks import QuickBooks
from quickbooks.exceptions import AuthorizationException, QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.journalentry import JournalEntry

from onhand.adapters.accounting.quickbooks import journal_entry
from onhand.adapters.accounting.token_files import TokenFile
from onhand.config import QuickBooksSettings
from onhand.domain.accounting.charts import ChartAccount
from onhand.domain.accounting.journal import Journal
from onhand.domain.errors import PushFailed

MINOR_VERSION = 75  # the oldest QBO accepts
TIMEOUT = (10, 60)  # seconds to connect, to read an answer
EXPIRY_MARGIN = 60  # refresh an access token this many seconds before it expires
_OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")
T = TypeVar("T")


class _BearerSession(requests.Session):
    """What `QuickBooks.process_request` needs of a session: `request` and the `access_token`
    it puts in the Authorization header."""

    def __init__(self, access_token: str) -> None:
        super().__init__()
        self.access_token = access_token

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, *args, **kwargs)


def _uncertain(exc: requests.RequestException) -> bool:
    """Whether the request may have reached QBO: it was not refused before a connection was made."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return not isinstance(reason, urllib3.exceptions.ConnectTimeoutError)


def _oauth_error(exc: AuthClientError) -> str:
    """The OAuth error code of a refused refresh ("invalid_grant"), if the answer names one."""
    try:
        code = json.loads(exc.content).get("error", "")
    except (ValueError, AttributeError):
        return ""
    return f", {code}" if isinstance(code, str) and _OAUTH_ERROR.fullmatch(code) else ""


class QuickBooksJournals:
    """Posted journals to one QBO company (realm): `send` creates an entry, `find` looks one up by DocNumber."""

    def __init__(self, settings: QuickBooksSettings) -> None:
        self.settings = settings
        oauth = settings.oauth
        self.tokens = TokenFile("quickbooks", oauth.token_file, oauth.refresh_token) if oauth else None

    def send(self, journal: Journal) -> str:
        entry = journal_entry(journal)
        saved = self._call(lambda qb: entry.save(qb=qb, request_id=journal.reference), f"the journal of {journal.day}")
        return str(saved.Id)

    def find(self, journal: Journal) -> str | None:
        found = self._call(lambda qb: JournalEntry.filter(DocNumber=journal.reference, qb=qb),
                           f"the search for {journal.reference}")
        return str(found[0].Id) if found else None

    def accounts(self) -> list[ChartAccount]:
        """`SELECT * FROM Account`: the active accounts with their Id, number and type."""
        found = self._call(lambda qb: Account.all(max_results=1000, qb=qb), "the chart of accounts")
        return [ChartAccount(a.AcctNum or None, a.FullyQualifiedName or a.Name, a.AccountType or "", None,
                             str(a.Id)) for a in found if a.Active]

    def _access_token(self) -> str:
        if self.tokens is None:
            return self.settings.access_token or ""
        stored = self.tokens.read()
        if stored.get("access_token") and float(stored.get("expires_at") or 0) > time.time() + EXPIRY_MARGIN:
            return str(stored["access_token"])
        return self._refresh()

    def _refresh(self) -> str:
        oauth, tokens = self.settings.oauth, self.tokens
        if oauth is None or tokens is None:
            raise PushFailed("quickbooks", "no OAuth app is configured to refresh the access token")
        stored = tokens.read()
        try:
            with AuthClient(oauth.client_id, oauth.client_secret, "", self.settings.environment,
                            refresh_token=stored["refresh_token"]) as auth:
                auth.refresh()
        except AuthClientError as exc:
            raise PushFailed("quickbooks", f"Intuit refused to refresh the access token (HTTP {exc.status_code}"
                                           f"{_oauth_error(exc)}): the refresh token expired, was revoked or "
                                           "was already used; connect Onhand to QuickBooks again") from None
        except requests.RequestException:
            raise PushFailed("quickbooks", "Intuit's OAuth service could not be reached to refresh the access "
                                           "token") from None
        now = time.time()
        tokens.save({"access_token": auth.access_token, "refresh_token": auth.refresh_token,
                     "expires_at": now + int(auth.expires_in or 0),
                     "refresh_token_expires_at": now + int(auth.x_refresh_token_expires_in or 0)})
        return str(auth.access_token)

    def _client(self, access_token: str) -> QuickBooks:
        client = QuickBooks(company_id=self.settings.realm_id, minorversion=MINOR_VERSION)
        client.session = _BearerSession(access_token)
        if self.settings.api_url:
            client.api_url_v3 = self.settings.api_url
        return client

    def _call(self, call: Callable[[QuickBooks], T], what: str) -> T:
        with self.tokens.held() if self.tokens is not None else nullcontext():
            try:
                client = self._client(self._access_token())
                try:
                    return call(client)
                except AuthorizationException as exc:
                    # Refused although not expired by our clock: refresh once, then try again.
                    if exc.error_code != 401 or self.tokens is None:
                        raise
                    client.session.close()
                    client = self._client(self._refresh())
                    return call(client)
                finally:
                    client.session.close()
            except QuickbooksException as exc:
                raise PushFailed("quickbooks", f"QuickBooks refused {what} (error {exc.error_code})") from None
            except requests.RequestException as exc:
                raise PushFailed("quickbooks", "QuickBooks could not be reached", uncertain=_uncertain(exc)) from None


def quickbooks_pusher(settings: QuickBooksSettings) -> QuickBooksJournals:
    return QuickBooksJournals(settings)
