"""A local stand-in of Xero's Accounting API and identity service for push tests.

- `PUT /api.xro/2.0/ManualJournals` records what the SDK sends (bearer token, tenant,
  Idempotency-Key, body) and answers as Xero documents it: the created ManualJournals
  with their ManualJournalID; the same Idempotency-Key again gets the first answer. An
  access token it does not know (expired) gets Xero's 401: `WWW-Authenticate: Bearer
  error="invalid_token"` and the problem body `{"Title": "Unauthorized", "Status": 401,
  "Detail": "TokenExpired: …"}`. `refuse` answers a ValidationException (400);
  `hang_up` closes the connection without an answer, the journal made (urllib3 sends
  the PUT again: the Idempotency-Key keeps it to one journal).
- `GET /api.xro/2.0/ManualJournals?where=Narration=="…"` finds the journals made.
- `POST /connect/token` (form `grant_type=refresh_token&refresh_token=…`, the client
  id and secret in a Basic header or the form) answers a new access token (30 minutes)
  and a new refresh token; the old refresh token stops working (rotation). An unknown
  refresh token or client gets `400 {"error": "invalid_grant"}`.
- The same endpoint takes `grant_type=authorization_code&code=…&redirect_uri=…` (the
  connect step): a code it issued (`CODE`), once, answers `id_token`, `access_token`,
  `expires_in`, `token_type`, `refresh_token` and `scope`; a spent or unknown code gets
  `400 {"error": "invalid_grant"}`.
- `GET /connections` (bearer) lists the organisations the consent covers: `id`,
  `authEventId`, `tenantId`, `tenantType`, `tenantName`, `createdDateUtc`, `updatedDateUtc`.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.http_stand_in import StandIn, serve

TOKEN = "secret-access-token"
TENANT = "0b9f6a4c-tenant"
CLIENT_ID = "xero-client-id"
CLIENT_SECRET = "xero-client-secret-shh"
REFRESH = "xero-refresh-token-1"
CODE = "xero-authorization-code"
TENANT_NAME = "Demo Company (US)"
API = "/api.xro/2.0"
LOCK = threading.Lock()


def token_url(api_url: str) -> str:
    """The stand-in's identity endpoint beside its API URL."""
    return api_url.removesuffix(API) + "/connect/token"


# A demo company's accounts as `GET Accounts` answers (abridged): a bank, the AR system
# account, the standard chart's codes the defaults use, one archived.
ACCOUNTS = [
    {"AccountID": "0f0a1b2c-0000-4000-8000-000000000090", "Code": "090", "Name": "Business Bank Account",
     "Type": "BANK", "Status": "ACTIVE", "TaxType": "NONE"},
    {"AccountID": "0f0a1b2c-0000-4000-8000-000000000610", "Code": "610", "Name": "Accounts Receivable",
     "Type": "CURRENT", "Status": "ACTIVE", "TaxType": "NONE", "SystemAccount": "DEBTORS"},
    *({"AccountID": f"0f0a1b2c-0000-4000-8000-000000000{code}", "Code": code, "Name": name, "Type": kind,
       "Status": "ACTIVE", "TaxType": "NONE"}
      for code, name, kind in (("200", "Sales", "REVENUE"), ("310", "Cost of Goods Sold", "DIRECTCOSTS"),
                               ("630", "Inventory", "INVENTORY"), ("850", "Suspense", "CURRLIAB"))),
    {"AccountID": "0f0a1b2c-0000-4000-8000-000000000840", "Code": "840", "Name": "Historical Adjustment",
     "Type": "CURRLIAB", "Status": "ACTIVE", "TaxType": "NONE", "SystemAccount": "HISTORICAL"},
    {"AccountID": "0f0a1b2c-0000-4000-8000-000000000860", "Code": "860", "Name": "Rounding",
     "Type": "CURRLIAB", "Status": "ACTIVE", "TaxType": "NONE", "SystemAccount": "ROUNDING"},
    {"AccountID": "0f0a1b2c-0000-4000-8000-000000000999", "Code": "999", "Name": "Old", "Type": "EXPENSE",
     "Status": "ARCHIVED", "TaxType": "NONE"},
]


def connections_url(api_url: str) -> str:
    """The stand-in's connections endpoint beside its API URL."""
    return api_url.removesuffix(API) + "/connections"


class StandInXero(StandIn):
    received: ClassVar[list[dict]] = []
    token_requests: ClassVar[list[dict]] = []
    refuse: ClassVar[bool] = False
    hang_up: ClassVar[bool] = False
    access_tokens: ClassVar[set[str]] = set()
    refresh_tokens: ClassVar[set[str]] = set()
    journals: ClassVar[list[dict]] = []
    answered: ClassVar[dict[str, dict]] = {}
    codes: ClassVar[set[str]] = set()

    def _authorized(self) -> bool:
        if self.bearer() in StandInXero.access_tokens:
            return True
        self.answer(401, {"Type": None, "Title": "Unauthorized", "Status": 401,
                          "Detail": "TokenExpired: token expired at 03/02/2026 09:30:00",
                          "Instance": str(uuid.uuid4()), "Extensions": {}},
                    {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return False

    def do_PUT(self) -> None:
        body = json.loads(self.body())
        StandInXero.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if not self._authorized():
            return
        with LOCK:  # one request per Idempotency-Key at a time, as Xero keeps them
            self._create(body)

    def _create(self, body: dict) -> None:
        key = self.headers.get("Idempotency-Key")
        if key in StandInXero.answered:
            self._send(StandInXero.answered[key])
            return
        if StandInXero.refuse:
            self.answer(400, {"ErrorNumber": 10, "Type": "ValidationException",
                              "Message": "A validation exception occurred"})
            return
        made = [{**j, "ManualJournalID": str(uuid.uuid4())} for j in body["ManualJournals"]]
        StandInXero.journals.extend(made)
        answer = {"Id": str(uuid.uuid4()), "Status": "OK", "ManualJournals": made}
        if key:
            StandInXero.answered[key] = answer
        self._send(answer)

    def _send(self, answer: dict) -> None:
        if StandInXero.hang_up:
            self.close_unanswered()
        else:
            self.answer(200, answer)

    def do_GET(self) -> None:
        StandInXero.received.append({"path": self.path, "headers": dict(self.headers), "body": None})
        if not self._authorized():
            return
        path = urlsplit(self.path).path
        if path.endswith("/Accounts"):
            self.answer(200, {"Id": str(uuid.uuid4()), "Status": "OK", "Accounts": ACCOUNTS})
            return
        if path == "/connections":
            self.answer(200, [{"id": "e1eede29-connection", "authEventId": "d99ecdfe-auth-event", "tenantId": TENANT,
                               "tenantType": "ORGANISATION", "tenantName": TENANT_NAME,
                               "createdDateUtc": "2026-03-01T23:40:30.1833130",
                               "updatedDateUtc": "2026-03-02T01:35:13.8491980"}])
            return
        where = parse_qs(urlsplit(self.path).query).get("where", [""])[0]
        wanted = re.fullmatch(r'Narration=="(.*)"', where)
        found = [j for j in StandInXero.journals if wanted and j["Narration"] == wanted.group(1)]
        self.answer(200, {"Id": str(uuid.uuid4()), "Status": "OK", "ManualJournals": found})

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/connect/token":
            self.answer(404, {"Title": "Not Found", "Status": 404})
            return
        form = self.form()
        client = self.basic_auth() or (form.get("client_id"), form.get("client_secret"))
        StandInXero.token_requests.append({"headers": dict(self.headers), "form": form})
        if form.get("grant_type") == "authorization_code":
            self._code(form, client)
            return
        if (form.get("grant_type") != "refresh_token" or client != (CLIENT_ID, CLIENT_SECRET)
                or form.get("refresh_token") not in StandInXero.refresh_tokens):
            self.answer(400, {"error": "invalid_grant"})
            return
        StandInXero.refresh_tokens.discard(form["refresh_token"])  # rotation: the old one is spent
        access, refresh = f"xero-access-{uuid.uuid4()}", f"xero-refresh-{uuid.uuid4()}"
        StandInXero.access_tokens.add(access)
        StandInXero.refresh_tokens.add(refresh)
        self.answer(200, {"access_token": access, "expires_in": 1800, "token_type": "Bearer",
                          "refresh_token": refresh, "scope": form.get("scope") or "offline_access"})

    def _code(self, form: dict[str, str], client: tuple) -> None:
        if client != (CLIENT_ID, CLIENT_SECRET) or form.get("code") not in StandInXero.codes \
                or not form.get("redirect_uri"):
            self.answer(400, {"error": "invalid_grant"})
            return
        StandInXero.codes.discard(form["code"])  # a code is good once
        access, refresh = f"xero-access-{uuid.uuid4()}", f"xero-refresh-{uuid.uuid4()}"
        StandInXero.access_tokens.add(access)
        StandInXero.refresh_tokens.add(refresh)
        self.answer(200, {"id_token": "eyJ-id-token", "access_token": access, "expires_in": 1800,
                          "token_type": "Bearer", "refresh_token": refresh,
                          "scope": "openid profile email accounting.transactions offline_access"})


@contextmanager
def stand_in_xero() -> Iterator[str]:
    """Serve the stand-in on a free port; yield the API's base URL (…/api.xro/2.0)."""
    StandInXero.received, StandInXero.token_requests, StandInXero.journals, StandInXero.answered = [], [], [], {}
    StandInXero.refuse = StandInXero.hang_up = False
    StandInXero.access_tokens, StandInXero.refresh_tokens, StandInXero.codes = {TOKEN}, {REFRESH}, {CODE}
    with serve(StandInXero) as url:
        yield url + API
