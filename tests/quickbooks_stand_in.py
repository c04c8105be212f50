"""A local stand-in of QuickBooks Online's Accounting API and Intuit's OAuth service for push tests.

- `POST /v3/company/{realm}/journalentry?minorversion&requestid` records what
  python-quickbooks sends (bearer token, JournalEntry body) and answers as QBO documents
  it: the created JournalEntry with its Id; the same requestid again gets the first
  answer. An access token it does not know (expired) gets QBO's 401 with an
  AUTHENTICATION fault (code 3200). `refuse` answers a ValidationFault; `hang_up`
  creates the entry and closes the connection without an answer.
- `POST /v3/company/{realm}/query` answers `SELECT * FROM JournalEntry WHERE DocNumber = '…'`.
- `GET /.well-known/openid_configuration/` is the discovery document intuit-oauth reads
  (its token endpoint is this stand-in's).
- `POST /oauth2/v1/tokens/bearer` (Basic client id and secret; form
  `grant_type=refresh_token&refresh_token=…`) answers a new access token (an hour) and a
  new refresh token (the old one stops working); else `400 {"error": "invalid_grant"}`.
  With `grant_type=authorization_code&code=…&redirect_uri=…` (the connect step) a code it
  issued (`CODE`), once, gets the same answer; a spent or unknown one `invalid_grant`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar
from urllib.parse import urlsplit

from tests.http_stand_in import StandIn, serve

TOKEN = "qbo-secret-token"
REALM = "9130357992341"
CLIENT_ID = "qbo-client-id"
CLIENT_SECRET = "qbo-client-secret-shh"
REFRESH = "qbo-refresh-token-1"
CODE = "qbo-authorization-code"
DISCOVERY = "/.well-known/openid_configuration/"


def discovery_url(api_url: str) -> str:
    """The stand-in's discovery document (intuit-oauth's `environment`) beside its API URL."""
    return api_url.removesuffix("/v3") + DISCOVERY


# A sandbox company's accounts as `SELECT * FROM Account` answers (abridged).
ACCOUNTS = [
    {"Id": account_id, "Name": name, "FullyQualifiedName": name, "AccountType": kind, "AcctNum": number,
     "Active": True, "domain": "QBO"}
    for account_id, name, kind, number in (
        ("35", "Checking", "Bank", ""), ("84", "Accounts Receivable (A/R)", "Accounts Receivable", ""),
        ("81", "Inventory Asset", "Other Current Asset", ""), ("4", "Uncategorized Asset", "Other Current Asset", ""),
        ("34", "Opening Balance Equity", "Equity", ""), ("79", "Sales of Product Income", "Income", ""),
        ("80", "Cost of Goods Sold", "Cost of Goods Sold", ""), ("101", "Inventory Shrinkage", "Cost of Goods Sold",
                                                                  "5100"))
]


class StandInQuickBooks(StandIn):
    received: ClassVar[list[dict]] = []
    token_requests: ClassVar[list[dict]] = []
    refuse: ClassVar[bool] = False
    hang_up: ClassVar[bool] = False
    access_tokens: ClassVar[set[str]] = set()
    refresh_tokens: ClassVar[set[str]] = set()
    entries: ClassVar[list[dict]] = []
    answered: ClassVar[dict[str, dict]] = {}
    codes: ClassVar[set[str]] = set()

    def _authorized(self) -> bool:
        if self.bearer() in StandInQuickBooks.access_tokens:
            return True
        self.answer(401, {"Fault": {"Error": [{
            "Message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
            "Detail": "Token expired: 2026-03-03T09:30:00Z", "code": "3200"}], "type": "AUTHENTICATION"},
            "time": "2026-03-03T09:30:01.000-08:00"})
        return False

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        self.answer(200, {"issuer": "https://oauth.platform.intuit.com/op/v1",
                          "authorization_endpoint": "https://appcenter.intuit.com/connect/oauth2",
                          "token_endpoint": base + "/oauth2/v1/tokens/bearer",
                          "userinfo_endpoint": base + "/v1/openid_connect/userinfo",
                          "revocation_endpoint": base + "/oauth2/v1/tokens/revoke",
                          "jwks_uri": base + "/op/v1/jwks"})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/oauth2/v1/tokens/bearer":
            self._token()
            return
        body = self.body()
        StandInQuickBooks.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if not self._authorized():
            return
        if path.endswith("/query") and "FROM Account" in body.decode():
            self.answer(200, {"QueryResponse": {"Account": ACCOUNTS, "startPosition": 1,
                                                "maxResults": len(ACCOUNTS)}, "time": "2026-03-03T09:30:01.000-08:00"})
            return
        if path.endswith("/query"):
            wanted = re.search(r"DocNumber = '([^']*)'", body.decode())
            found = [e for e in StandInQuickBooks.entries if wanted and e.get("DocNumber") == wanted.group(1)]
            result = {"JournalEntry": found, "startPosition": 1, "maxResults": len(found)} if found else {}
            self.answer(200, {"QueryResponse": result, "time": "2026-03-03T09:30:01.000-08:00"})
            return
        entry = json.loads(body)
        StandInQuickBooks.received[-1]["body"] = entry
        request_id = dict(p.split("=", 1) for p in urlsplit(self.path).query.split("&") if "=" in p).get("requestid")
        if request_id in StandInQuickBooks.answered:
            self.answer(200, StandInQuickBooks.answered[request_id])
            return
        if StandInQuickBooks.refuse:
            self.answer(400, {"Fault": {"Error": [{"Message": "Invalid account", "Detail": "Account 630 not found",
                                                   "code": "2500"}], "type": "ValidationFault"}})
            return
        made = {**entry, "Id": str(148 + len(StandInQuickBooks.entries)), "SyncToken": "0"}
        StandInQuickBooks.entries.append(made)
        answer = {"JournalEntry": made, "time": "2026-03-03T09:30:01.000-08:00"}
        if request_id:
            StandInQuickBooks.answered[request_id] = answer
        if StandInQuickBooks.hang_up:
            self.close_unanswered()
            return
        self.answer(200, answer)

    def _token(self) -> None:
        form = self.form()
        StandInQuickBooks.token_requests.append({"headers": dict(self.headers), "form": form})
        if form.get("grant_type") == "authorization_code":
            known = form.get("code") in StandInQuickBooks.codes and bool(form.get("redirect_uri"))
            spent = StandInQuickBooks.codes
        else:
            known = form.get("grant_type") == "refresh_token" and form.get("refresh_token") in \
                StandInQuickBooks.refresh_tokens
            spent = StandInQuickBooks.refresh_tokens
        if not known or self.basic_auth() != (CLIENT_ID, CLIENT_SECRET):
            self.answer(400, {"error": "invalid_grant"})
            return
        spent.discard(form.get("code") or form["refresh_token"])
        access, refresh = f"qbo-access-{uuid.uuid4()}", f"qbo-refresh-{uuid.uuid4()}"
        StandInQuickBooks.access_tokens.add(access)
        StandInQuickBooks.refresh_tokens.add(refresh)
        self.answer(200, {"token_type": "bearer", "expires_in": 3600, "refresh_token": refresh,
                          "x_refresh_token_expires_in": 8726400, "access_token": access})


@contextmanager
def stand_in_quickbooks() -> Iterator[str]:
    """Serve the stand-in on a free port; yield the API's base URL (…/v3)."""
    StandInQuickBooks.received, StandInQuickBooks.token_requests = [], []
    StandInQuickBooks.entries, StandInQuickBooks.answered = [], {}
    StandInQuickBooks.refuse = StandInQuickBooks.hang_up = False
    StandInQuickBooks.access_tokens, StandInQuickBooks.refresh_tokens = {TOKEN}, {REFRESH}
    StandInQuickBooks.codes = {CODE}
    with serve(StandInQuickBooks) as url:
        yield url + "/v3"
