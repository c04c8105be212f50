"""Pushing posted journals to QuickBooks Online through python-quickbooks: `JournalEntry.save`.

The realm (company id) and the OAuth access token come from configuration
(`config.QuickBooksSettings`); the token is only put in the request's Authorization
header by the SDK's session, never logged, returned or put in an error message. The
journal's reference is the request's `requestid`, QBO's idempotency key, so a retried
push does not make a second entry. Onhand's account codes are sent as QBO account ids
(`adapters/accounting/quickbooks.py`): configure QBO ids as the codes. The token is used
as configured (no refresh).
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from quickbooks import QuickBooks
from quickbooks.exceptions import QuickbooksException

from onhand.adapters.accounting.quickbooks import journal_entry
from onhand.config import QuickBooksSettings
from onhand.domain.errors import PushFailed
from onhand.domain.journal import Journal

MINOR_VERSION = 75  # the oldest QBO accepts


class _BearerSession(requests.Session):
    """What `QuickBooks.process_request` needs of a session: `request` and the `access_token`
    it puts in the Authorization header. (The SDK's usual intuitlib `AuthClient` fetches
    Intuit's discovery document when made; a configured token needs none of that.)"""

    def __init__(self, access_token: str) -> None:
        super().__init__()
        self.access_token = access_token


def _client(settings: QuickBooksSettings) -> QuickBooks:
    client = QuickBooks(company_id=settings.realm_id, minorversion=MINOR_VERSION)
    client.session = _BearerSession(settings.access_token)
    if settings.api_url:
        client.api_url_v3 = settings.api_url
    return client


def quickbooks_pusher(settings: QuickBooksSettings) -> Callable[[Journal], str]:
    """A function that creates one journal as a QBO JournalEntry and returns its Id there."""

    def push(journal: Journal) -> str:
        entry = journal_entry(journal)
        try:
            saved = entry.save(qb=_client(settings), request_id=journal.reference)
        except QuickbooksException as exc:
            code = getattr(exc, "error_code", None)
            raise PushFailed("quickbooks", f"QuickBooks refused the journal of {journal.day} (error {code})") from None
        except requests.RequestException:
            raise PushFailed("quickbooks", "QuickBooks could not be reached") from None
        return str(saved.Id)

    return push
