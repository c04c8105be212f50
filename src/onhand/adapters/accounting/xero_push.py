"""Pushing posted journals to Xero through the SDK: `AccountingApi.create_manual_journals`.

The access token and tenant come from configuration (`config.XeroSettings`); they are sent
only in the request headers, never logged, returned or put in an error message. The
journal's reference is the request's `Idempotency-Key`, so a retried push within
Xero's idempotency window does not make a second manual journal. Refreshing the token
is the deployment's business (Xero tokens last 30 minutes): the one configured is used
as it is.
"""

from __future__ import annotations

from collections.abc import Callable

import urllib3
from xero_python.accounting import AccountingApi, ManualJournals
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token
from xero_python.exceptions import OpenApiException

from onhand.adapters.accounting.xero import manual_journal
from onhand.config import XeroSettings
from onhand.domain.errors import PushFailed
from onhand.domain.journal import Journal

XERO_API_URL = AccountingApi.base_url


def _client(credentials: XeroSettings) -> ApiClient:
    token = {"access_token": credentials.access_token, "token_type": "Bearer", "expires_in": None,
             "scope": ["accounting.transactions"]}
    return ApiClient(Configuration(oauth2_token=OAuth2Token()), pool_threads=1,
                     oauth2_token_getter=lambda: token, oauth2_token_saver=lambda _token: None)


def xero_pusher(credentials: XeroSettings) -> Callable[[Journal], str]:
    """A function that sends one journal as a POSTED manual journal and returns its ManualJournalID."""

    def push(journal: Journal) -> str:
        api = AccountingApi(_client(credentials), base_url=credentials.api_url or XERO_API_URL)
        body = ManualJournals(manual_journals=[manual_journal(journal, status="POSTED")])
        try:
            created = api.create_manual_journals(credentials.tenant_id, body, idempotency_key=journal.reference)
        except OpenApiException as exc:
            status = getattr(exc, "status", None)
            raise PushFailed("xero", f"Xero refused the journal of {journal.day} (HTTP {status})") from None
        except urllib3.exceptions.HTTPError:
            raise PushFailed("xero", "Xero could not be reached") from None
        (made,) = created.manual_journals
        return str(made.manual_journal_id)

    return push
