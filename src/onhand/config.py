"""Settings, read from the environment only when asked (never at import time)."""

from __future__ import annotations

import os
from dataclasses import KW_ONLY, dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput
from onhand.services.limits import DEFAULT_MAX_POSTING_LINES

DEFAULT_IDEMPOTENCY_TTL = timedelta(hours=24)
MAX_IDEMPOTENCY_TTL_HOURS = 24 * 30


class Profile(StrEnum):
    """What the defaults are chosen for (ONHAND_PROFILE)."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


def default_database_url() -> str:
    path = Path(user_data_dir("onhand", appauthor=False)) / "onhand.db"
    return f"sqlite:///{path}"


def default_demo_database_url() -> str:
    """`onhand demo`'s own SQLite file beside the company's, so the demo never mixes with it."""
    path = Path(user_data_dir("onhand", appauthor=False)) / "demo.db"
    return f"sqlite:///{path}"


def default_webhook_key_file() -> Path:
    return Path(user_data_dir("onhand", appauthor=False)) / "webhook.key"


MIN_WEBHOOK_KEY = 32


def _webhook_key(text: str | None) -> str | None:
    if not text:
        return None
    if len(text.strip()) < MIN_WEBHOOK_KEY:
        raise InvalidInput("ONHAND_WEBHOOK_KEY", f"must be at least {MIN_WEBHOOK_KEY} characters")
    return text.strip()


@dataclass(frozen=True)
class OAuthClient:
    """An OAuth 2.0 app's credentials and the token file its refreshed tokens are kept in.

    Access tokens are short-lived and refresh tokens rotate (the old one stops working),
    so the current pair lives in `token_file` (JSON, owner-only 0600), written after every
    refresh; `refresh_token` only seeds that file when it does not exist yet."""

    client_id: str
    client_secret: str = field(repr=False)
    token_file: Path
    refresh_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class XeroSettings:
    """Where posted journals are pushed in Xero; tokens and secrets are never shown (repr) or logged.

    Either `oauth` (refreshed tokens) or a fixed `access_token` (no refresh: it lasts 30 minutes)."""

    tenant_id: str
    access_token: str | None = field(default=None, repr=False)
    api_url: str | None = None  # default: the SDK's https://api.xero.com/api.xro/2.0
    _: KW_ONLY
    oauth: OAuthClient | None = None
    token_url: str | None = None  # default: the SDK's https://identity.xero.com/connect/token


@dataclass(frozen=True)
class QuickBooksSettings:
    """Where posted journals are pushed in QuickBooks Online; tokens and secrets are never shown or logged.

    Either `oauth` (refreshed tokens) or a fixed `access_token` (no refresh: it lasts an hour)."""

    realm_id: str
    access_token: str | None = field(default=None, repr=False)
    api_url: str | None = None  # default: the SDK's https://quickbooks.api.intuit.com/v3
    _: KW_ONLY
    oauth: OAuthClient | None = None
    # intuit-oauth's environment: production, sandbox, or the URL of an OpenID discovery document
    environment: str = "production"


def _oauth(prefix: str) -> OAuthClient | None:
    env = os.environ.get
    client_id, secret, path = env(f"{prefix}_CLIENT_ID"), env(f"{prefix}_CLIENT_SECRET"), env(f"{prefix}_TOKEN_FILE")
    if not (client_id and secret and path):
        return None
    return OAuthClient(client_id, secret, Path(path), env(f"{prefix}_REFRESH_TOKEN") or None)


@dataclass(frozen=True)
class ConnectSettings:
    """What `onhand accounting connect` needs: the OAuth app, and where its endpoints are when
    not the documented ones (tests' stand-ins)."""

    oauth: OAuthClient | None  # None: ONHAND_{XERO,QBO}_CLIENT_ID, _CLIENT_SECRET or _TOKEN_FILE missing
    token_url: str | None = None  # Xero: ONHAND_XERO_TOKEN_URL
    connections_url: str | None = None  # Xero: ONHAND_XERO_CONNECTIONS_URL
    environment: str = "production"  # QuickBooks: ONHAND_QBO_ENVIRONMENT


def connect_settings(target: str) -> ConnectSettings:
    """The connect step's settings of `xero` or `quickbooks`, from the environment."""
    env = os.environ.get
    if target == "xero":
        return ConnectSettings(_oauth("ONHAND_XERO"), env("ONHAND_XERO_TOKEN_URL") or None,
                               env("ONHAND_XERO_CONNECTIONS_URL") or None)
    return ConnectSettings(_oauth("ONHAND_QBO"), environment=env("ONHAND_QBO_ENVIRONMENT") or "production")


def _idempotency_ttl(text: str | None) -> timedelta:
    if not text:
        return DEFAULT_IDEMPOTENCY_TTL
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_IDEMPOTENCY_TTL_HOURS:
        raise InvalidInput("ONHAND_IDEMPOTENCY_TTL_HOURS",
                           f"must be a whole number of hours from 1 to {MAX_IDEMPOTENCY_TTL_HOURS}")
    return timedelta(hours=int(text))


def _sqlite_synchronous(text: str | None, profile: Profile) -> Literal["FULL", "NORMAL"]:
    """FULL: a commit is on disk when it returns. NORMAL (WAL): faster; a power cut or OS
    crash may lose the last commits (never corrupting the file). FULL under production."""
    if not text:
        return "FULL" if profile is Profile.PRODUCTION else "NORMAL"
    value = text.strip().upper()
    if value not in ("FULL", "NORMAL"):
        raise InvalidInput("ONHAND_SQLITE_SYNCHRONOUS", f"{text!r} is not one of full, normal")
    return "FULL" if value == "FULL" else "NORMAL"
def _positive_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(name, f"{text!r} is not a whole number")
    value = int(text)
    if value < 1:
        raise InvalidInput(name, "must be at least 1")
    return value


MIB = 1024 * 1024


@dataclass(frozen=True)
class ApiLimits:
    """What the HTTP API takes from one client (README's configuration table).

    A body above its cap (a CSV import's too) is refused as a 413 before more of it is
    read. Authentication failures are limited per client address: a bucket of
    `auth_failure_burst` refilled at `auth_failures_per_second`."""

    max_body_bytes: int = 4 * MIB
    auth_failures_per_second: int = 10
    auth_failure_burst: int = 20

    @classmethod
    def from_env(cls) -> ApiLimits:
        return cls(
            max_body_bytes=_positive_int("ONHAND_MAX_BODY_BYTES", cls.max_body_bytes),
            auth_failures_per_second=_positive_int("ONHAND_AUTH_FAILURES_PER_SECOND", cls.auth_failures_per_second),
            auth_failure_burst=_positive_int("ONHAND_AUTH_FAILURE_BURST", cls.auth_failure_burst),
        )



@dataclass(frozen=True)
class Settings:
    database_url: str
    xero: XeroSettings | None = None
    quickbooks: QuickBooksSettings | None = None
    profile: Profile = Profile.DEVELOPMENT
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "NORMAL"
    # How long a write's idempotency key is remembered; a repeat after that is a new request.
    idempotency_ttl: timedelta = DEFAULT_IDEMPOTENCY_TTL
    max_posting_lines: int = DEFAULT_MAX_POSTING_LINES
    # Webhook secrets are derived from this key (never stored): ONHAND_WEBHOOK_KEY, or the
    # owner-only file `webhook_key_file` made on first use (adapters/webhooks/keys.py).
    webhook_key: str | None = field(default=None, repr=False)
    webhook_key_file: Path = field(default_factory=lambda: default_webhook_key_file())

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        """ONHAND_DATABASE_URL; Xero: ONHAND_XERO_TENANT_ID with ONHAND_XERO_CLIENT_ID,
        ONHAND_XERO_CLIENT_SECRET and ONHAND_XERO_TOKEN_FILE (+ ONHAND_XERO_REFRESH_TOKEN to seed the
        file, ONHAND_XERO_TOKEN_URL) or ONHAND_XERO_ACCESS_TOKEN (+ ONHAND_XERO_API_URL); QuickBooks
        Online: ONHAND_QBO_REALM_ID with the same ONHAND_QBO_* names (+ ONHAND_QBO_ENVIRONMENT);
        ONHAND_PROFILE (development, production), ONHAND_SQLITE_SYNCHRONOUS (full, normal),
        ONHAND_IDEMPOTENCY_TTL_HOURS, ONHAND_MAX_POSTING_LINES (lines of one posting or document,
        rows of one import); ONHAND_WEBHOOK_KEY (32 characters or more) or ONHAND_WEBHOOK_KEY_FILE
        (README's configuration table)."""
        env = os.environ.get
        profile = parse_choice(Profile, env("ONHAND_PROFILE") or Profile.DEVELOPMENT.value, "ONHAND_PROFILE")
        xero = quickbooks = None
        tenant, token, xero_oauth = env("ONHAND_XERO_TENANT_ID"), env("ONHAND_XERO_ACCESS_TOKEN"), _oauth("ONHAND_XERO")
        if tenant and (token or xero_oauth):
            xero = XeroSettings(tenant, token or None, env("ONHAND_XERO_API_URL") or None, oauth=xero_oauth,
                                token_url=env("ONHAND_XERO_TOKEN_URL") or None)
        realm, qbo_token, qbo_oauth = env("ONHAND_QBO_REALM_ID"), env("ONHAND_QBO_ACCESS_TOKEN"), _oauth("ONHAND_QBO")
        if realm and (qbo_token or qbo_oauth):
            quickbooks = QuickBooksSettings(realm, qbo_token or None, env("ONHAND_QBO_API_URL") or None,
                                            oauth=qbo_oauth, environment=env("ONHAND_QBO_ENVIRONMENT") or "production")
        return cls(
            database_url=database_url
            or os.environ.get("ONHAND_DATABASE_URL")
            or default_database_url(),
            xero=xero,
            quickbooks=quickbooks,
            profile=profile,
            sqlite_synchronous=_sqlite_synchronous(env("ONHAND_SQLITE_SYNCHRONOUS"), profile),
            idempotency_ttl=_idempotency_ttl(env("ONHAND_IDEMPOTENCY_TTL_HOURS")),
            max_posting_lines=_positive_int("ONHAND_MAX_POSTING_LINES", DEFAULT_MAX_POSTING_LINES),
            webhook_key=_webhook_key(env("ONHAND_WEBHOOK_KEY")),
            webhook_key_file=Path(env("ONHAND_WEBHOOK_KEY_FILE") or default_webhook_key_file()),
        )
