"""Connecting Onhand to Xero or QuickBooks Online: the OAuth 2.0 authorization code flow, once.

1. `consent_url`: the system's authorize page with the app's client id, the loopback
   redirect URI, the scopes and a fresh random `state`;
2. `LoopbackReceiver`: a one-purpose HTTP server on 127.0.0.1 (a configurable port: the
   redirect URI registered with the app names it) that waits for the browser to be sent
   back with `code` and `state` (QuickBooks: also `realmId`). A request with another state,
   an `error`, or no code is refused (HTTP 400) and the wait goes on until the deadline;
3. `exchange_code`: the code for a token pair at the token endpoint (POST form
   `grant_type=authorization_code`, `code`, `redirect_uri`; the client id and secret in a
   Basic header), with httpx;
4. Xero only: `xero_tenants` — GET https://api.xero.com/connections with the new access
   token lists the organisations the consent covers (`tenantId`, `tenantName`, …);
5. the pair is written to the token file (token_files.py: owner-only 0600, atomic), with
   the tenant or realm id beside it, where the pushes read and refresh it.

Nothing here prints or logs a token, a code or the client secret; errors name the HTTP
status and the OAuth error code at most.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from onhand.adapters.accounting.token_files import TokenFile
from onhand.domain.errors import PushFailed

CALLBACK_PATH = "/callback"
DEFAULT_PORT = 8765
TIMEOUT = 10.0  # seconds for each request to the token and connections endpoints
_OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")


@dataclass(frozen=True)
class Provider:
    target: str  # xero, quickbooks
    name: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    company_parameter: str | None = None  # the callback's company id (QuickBooks' realmId)


XERO = Provider("xero", "Xero", "https://login.xero.com/identity/connect/authorize",
                "https://identity.xero.com/connect/token",
                # offline_access: a refresh token; accounting.transactions: manual journals.
                ("openid", "profile", "email", "offline_access", "accounting.transactions"))
XERO_CONNECTIONS_URL = "https://api.xero.com/connections"
QUICKBOOKS = Provider("quickbooks", "QuickBooks Online", "https://appcenter.intuit.com/connect/oauth2",
                      "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
                      ("com.intuit.quickbooks.accounting",), company_parameter="realmId")
PROVIDERS = {p.target: p for p in (XERO, QUICKBOOKS)}


@dataclass(frozen=True)
class Callback:
    code: str = ""
    company_id: str | None = None  # QuickBooks' realmId

    def __repr__(self) -> str:  # the code is a credential for a few minutes
        return f"Callback(company_id={self.company_id!r})"


@dataclass(frozen=True)
class Connection:
    target: str
    token_file: str
    company_id: str | None  # Xero's tenant id, QuickBooks' realm id
    company_name: str | None
    others: tuple[tuple[str, str], ...] = ()  # Xero: further organisations the consent covers (id, name)


def new_state() -> str:
    return secrets.token_urlsafe(24)


def consent_url(provider: Provider, client_id: str, redirect_uri: str, state: str) -> str:
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
             "scope": " ".join(provider.scopes), "state": state}
    return f"{provider.authorize_url}?{urlencode(query)}"


class _Handler(BaseHTTPRequestHandler):
    receiver: ClassVar[LoopbackReceiver]

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        status, message = self.receiver.take(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
        body = f"{message}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # the request line carries the code: never logged


class LoopbackReceiver:
    """The redirect URI's server on 127.0.0.1: `wait` returns the first callback with the right state."""

    def __init__(self, provider: Provider, state: str, port: int = DEFAULT_PORT) -> None:
        self.provider = provider
        self._state = state
        self._callback: Callback | None = None
        handler = type("Handler", (_Handler,), {"receiver": self})
        try:
            self._server = HTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:
            raise PushFailed(provider.target, f"cannot listen on 127.0.0.1:{port} for the redirect "
                                              f"({exc.strerror}); choose another --port") from None

    @property
    def redirect_uri(self) -> str:
        return f"http://localhost:{self._server.server_address[1]}{CALLBACK_PATH}"

    def take(self, path: str, query: Mapping[str, str]) -> tuple[int, str]:
        """Check one request to the redirect URI: (HTTP status, what the browser shows)."""
        name = self.provider.name
        if path != CALLBACK_PATH:
            return 404, "Not found"
        if not secrets.compare_digest(query.get("state", ""), self._state):
            return 400, "Refused: this answer is not for the connection Onhand started (state). Start again."
        if "error" in query:
            code = query["error"] if _OAUTH_ERROR.fullmatch(query["error"]) else "error"
            return 400, f"{name} did not give access ({code}). Start again: onhand accounting connect."
        company = query.get(self.provider.company_parameter) if self.provider.company_parameter else None
        if not query.get("code") or (self.provider.company_parameter and not company):
            return 400, f"Refused: {name}'s answer has no code or company. Start again."
        self._callback = Callback(query["code"], company)
        return 200, f"Onhand received {name}'s consent. You may close this tab and return to the terminal."

    def wait(self, timeout: float) -> Callback:
        deadline = time.monotonic() + timeout
        while self._callback is None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PushFailed(self.provider.target, f"no consent arrived at {self.redirect_uri} within "
                                                       f"{timeout:.0f} s; start again")
            self._server.timeout = left
            self._server.handle_request()
        return self._callback

    def close(self) -> None:
        self._server.server_close()


def _refused(provider: Provider, what: str, response: httpx.Response) -> PushFailed:
    try:
        code = response.json().get("error", "")
    except (ValueError, AttributeError):
        code = ""
    named = f", {code}" if isinstance(code, str) and _OAUTH_ERROR.fullmatch(code) else ""
    return PushFailed(provider.target, f"{provider.name} refused {what} (HTTP {response.status_code}{named})")


def exchange_code(
    provider: Provider, callback: Callback, *, client_id: str, client_secret: str, redirect_uri: str,
    token_url: str | None = None,
) -> dict[str, Any]:
    """The token pair for the authorization code, as the token endpoint answers it."""
    try:
        response = httpx.post(token_url or provider.token_url, auth=(client_id, client_secret), timeout=TIMEOUT,
                              headers={"Accept": "application/json"},
                              data={"grant_type": "authorization_code", "code": callback.code,
                                    "redirect_uri": redirect_uri})
    except httpx.HTTPError:
        raise PushFailed(provider.target, f"{provider.name}'s token endpoint could not be reached") from None
    if response.status_code != 200:
        raise _refused(provider, "the authorization code", response)
    try:
        token = response.json()
    except ValueError:
        token = None
    if not isinstance(token, dict) or not token.get("access_token") or not token.get("refresh_token"):
        raise PushFailed(provider.target, f"{provider.name}'s token endpoint answered no token pair")
    return token


def xero_tenants(access_token: str, connections_url: str | None = None) -> list[dict[str, Any]]:
    """The organisations the consent covers (GET /connections), newest connection last."""
    try:
        response = httpx.get(connections_url or XERO_CONNECTIONS_URL, timeout=TIMEOUT,
                             headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
    except httpx.HTTPError:
        raise PushFailed("xero", "Xero's connections endpoint could not be reached") from None
    if response.status_code != 200:
        raise _refused(XERO, "the list of connections", response)
    found = response.json()
    return [t for t in found if isinstance(t, dict) and t.get("tenantId")] if isinstance(found, list) else []


def quickbooks_token_url(environment: str) -> str | None:
    """The token endpoint of intuit-oauth's `environment` when it is a discovery document's URL
    (production and sandbox share the documented endpoint: None)."""
    if not environment.startswith(("http://", "https://")):
        return None
    try:
        found = httpx.get(environment, timeout=TIMEOUT).json().get("token_endpoint")
    except (httpx.HTTPError, ValueError, AttributeError):
        raise PushFailed("quickbooks", f"the discovery document {environment} could not be read") from None
    if not isinstance(found, str):
        raise PushFailed("quickbooks", f"the discovery document {environment} names no token_endpoint")
    return found


def _stored(token: Mapping[str, Any], now: float) -> dict[str, Any]:
    """The pair as the pushes read it (xero_push._sdk_token, quickbooks_push)."""
    scope = token.get("scope")
    kept = {"access_token": token["access_token"], "refresh_token": token["refresh_token"],
            "token_type": token.get("token_type") or "Bearer",
            "expires_in": int(token.get("expires_in") or 0),
            "expires_at": now + int(token.get("expires_in") or 0),
            "scope": scope.split() if isinstance(scope, str) else scope}
    if token.get("x_refresh_token_expires_in"):
        kept["refresh_token_expires_at"] = now + int(token["x_refresh_token_expires_in"])
    return kept


def connect(
    provider: Provider,
    *,
    client_id: str,
    client_secret: str,
    tokens: TokenFile,
    show: Callable[[str], None],
    port: int = DEFAULT_PORT,
    timeout: float = 300.0,
    token_url: str | None = None,
    connections_url: str | None = None,
) -> Connection:
    """Run the flow (see module): `show` is given the consent URL once the redirect URI listens."""
    state = new_state()
    receiver = LoopbackReceiver(provider, state, port)
    try:
        redirect_uri = receiver.redirect_uri
        show(consent_url(provider, client_id, redirect_uri, state))
        callback = receiver.wait(timeout)
    finally:
        receiver.close()
    token = exchange_code(provider, callback, client_id=client_id, client_secret=client_secret,
                          redirect_uri=redirect_uri, token_url=token_url)
    stored = _stored(token, time.time())
    company_id, company_name, others = callback.company_id, None, ()
    if provider is XERO:
        tenants = xero_tenants(token["access_token"], connections_url)
        if not tenants:
            raise PushFailed("xero", "the consent covers no Xero organisation; connect again and choose one")
        # The organisation chosen last is the newest connection; others are listed for the operator.
        chosen = max(tenants, key=lambda t: str(t.get("updatedDateUtc") or t.get("createdDateUtc") or ""))
        company_id, company_name = str(chosen["tenantId"]), chosen.get("tenantName")
        others = tuple((str(t["tenantId"]), str(t.get("tenantName") or "")) for t in tenants if t is not chosen)
        stored["tenant_id"] = company_id
    elif company_id:
        stored["realm_id"] = company_id
    with tokens.held():
        tokens.save(stored)
    return Connection(provider.target, str(tokens.path), company_id, company_name, others)
