"""Settings, read from the environment only when asked (never at import time), through
pydantic-settings (`Environment`: the ONHAND_* variables)."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput
from onhand.services.access import passwords
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
    env = read_environment()
    if target == "xero":
        return ConnectSettings(env.oauth("xero"), env.xero_token_url, env.xero_connections_url)
    return ConnectSettings(env.oauth("qbo"), environment=env.qbo_environment)


def _idempotency_ttl(text: str | None) -> timedelta:
    if not text or not text.strip():
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


def _group_commit(text: str | None) -> bool:
    """on (and unset): a server runs its writes in group commits; off: each its own
    transaction (docs/architecture.md, "Group commit in the server")."""
    if not text or not text.strip():
        return True
    value = text.strip().lower()
    if value not in ("on", "off"):
        raise InvalidInput("ONHAND_GROUP_COMMIT", f"{text!r} is not one of on, off")
    return value == "on"


def _password_cost(text: str | None, profile: Profile) -> int:
    """scrypt's N = 2^cost for new passwords. Lower than the default only outside
    production: a test suite or a laptop demo may trade strength for speed."""
    if not text or not text.strip():
        return passwords.DEFAULT_COST
    value = text.strip()
    lowest = passwords.MIN_PRODUCTION_COST if profile is Profile.PRODUCTION else passwords.MIN_COST
    if not value.isascii() or not value.isdigit() or not lowest <= int(value) <= passwords.MAX_COST:
        raise InvalidInput("ONHAND_PASSWORD_COST", f"must be a whole number from {lowest} to {passwords.MAX_COST}"
                           + (" under ONHAND_PROFILE=production" if profile is Profile.PRODUCTION else ""))
    return int(value)


def _positive_int(name: str, text: object, default: int) -> int:
    text = str(text).strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(name, f"{text!r} is not a whole number")
    value = int(text)
    if value < 1:
        raise InvalidInput(name, "must be at least 1")
    return value


MIB = 1024 * 1024
_COUNTS = ("max_posting_lines", "max_body_bytes", "auth_failures_per_second", "auth_failure_burst")


def _secret() -> Any:
    return Field(None, repr=False)


class Environment(BaseSettings):
    """The ONHAND_* environment variables, read by pydantic-settings when `from_env` asks
    (never at import). Empty means unset. Each is parsed by the rule beside it, a bad one
    refused with `InvalidInput` naming the variable (never echoing a secret)."""

    model_config = SettingsConfigDict(env_prefix="ONHAND_", env_ignore_empty=True, extra="ignore", frozen=True,
                                      validate_default=False)

    database_url: str | None = None
    profile: Profile = Profile.DEVELOPMENT
    sqlite_synchronous: str | None = None
    group_commit: str | None = None
    password_cost: str | None = None
    idempotency_ttl_hours: timedelta = DEFAULT_IDEMPOTENCY_TTL
    max_posting_lines: int = DEFAULT_MAX_POSTING_LINES
    max_body_bytes: int = 4 * MIB
    auth_failures_per_second: int = 10
    auth_failure_burst: int = 20
    webhook_key: str | None = _secret()
    webhook_key_file: Path | None = None
    xero_tenant_id: str | None = None
    xero_access_token: str | None = _secret()
    xero_api_url: str | None = None
    xero_token_url: str | None = None
    xero_connections_url: str | None = None
    xero_client_id: str | None = None
    xero_client_secret: str | None = _secret()
    xero_token_file: Path | None = None
    xero_refresh_token: str | None = _secret()
    qbo_realm_id: str | None = None
    qbo_access_token: str | None = _secret()
    qbo_api_url: str | None = None
    qbo_environment: str = "production"
    qbo_client_id: str | None = None
    qbo_client_secret: str | None = _secret()
    qbo_token_file: Path | None = None
    qbo_refresh_token: str | None = _secret()

    @field_validator("profile", mode="before")
    @classmethod
    def _profile(cls, value: object) -> Profile:
        return parse_choice(Profile, str(value), "ONHAND_PROFILE")

    @field_validator("idempotency_ttl_hours", mode="before")
    @classmethod
    def _ttl(cls, value: object) -> timedelta:
        return _idempotency_ttl(str(value))

    @field_validator(*_COUNTS, mode="before")
    @classmethod
    def _count(cls, value: object, info: ValidationInfo) -> int:
        name = info.field_name or ""
        return _positive_int(f"ONHAND_{name.upper()}", value, cls.model_fields[name].default)

    @field_validator("webhook_key", mode="before")
    @classmethod
    def _key(cls, value: object) -> str | None:
        return _webhook_key(str(value))

    def oauth(self, prefix: Literal["xero", "qbo"]) -> OAuthClient | None:
        """ONHAND_<XERO|QBO>_CLIENT_ID, _CLIENT_SECRET and _TOKEN_FILE (+ _REFRESH_TOKEN), all or none."""
        client_id, secret = getattr(self, f"{prefix}_client_id"), getattr(self, f"{prefix}_client_secret")
        path = getattr(self, f"{prefix}_token_file")
        if not (client_id and secret and path):
            return None
        return OAuthClient(client_id, secret, path, getattr(self, f"{prefix}_refresh_token"))


def read_environment() -> Environment:
    try:
        return Environment()
    except ValidationError as exc:  # a type pydantic refused before any rule of ours saw it
        first = exc.errors()[0]
        name = f"ONHAND_{str(first['loc'][0]).upper()}" if first.get("loc") else "environment"
        raise InvalidInput(name, str(first.get("msg", "is invalid"))) from None




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
        env = read_environment()
        return cls(max_body_bytes=env.max_body_bytes, auth_failures_per_second=env.auth_failures_per_second,
                   auth_failure_burst=env.auth_failure_burst)



@dataclass(frozen=True)
class Settings:
    database_url: str
    xero: XeroSettings | None = None
    quickbooks: QuickBooksSettings | None = None
    profile: Profile = Profile.DEVELOPMENT
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "NORMAL"
    # Whether a server (`onhand serve`, `app_from_env`) commits its writes in groups (see
    # bootstrap.serving).
    group_commit: bool = True
    # How long a write's idempotency key is remembered; a repeat after that is a new request.
    idempotency_ttl: timedelta = DEFAULT_IDEMPOTENCY_TTL
    max_posting_lines: int = DEFAULT_MAX_POSTING_LINES
    password_cost: int = passwords.DEFAULT_COST
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
        ONHAND_GROUP_COMMIT (on, off), ONHAND_PASSWORD_COST (scrypt's N = 2^cost),
        ONHAND_IDEMPOTENCY_TTL_HOURS, ONHAND_MAX_POSTING_LINES (lines of one posting or document,
        rows of one import); ONHAND_WEBHOOK_KEY (32 characters or more) or ONHAND_WEBHOOK_KEY_FILE
        (README's configuration table)."""
        env = read_environment()
        xero = quickbooks = None
        xero_oauth = env.oauth("xero")
        if env.xero_tenant_id and (env.xero_access_token or xero_oauth):
            xero = XeroSettings(env.xero_tenant_id, env.xero_access_token, env.xero_api_url, oauth=xero_oauth,
                                token_url=env.xero_token_url)
        qbo_oauth = env.oauth("qbo")
        if env.qbo_realm_id and (env.qbo_access_token or qbo_oauth):
            quickbooks = QuickBooksSettings(env.qbo_realm_id, env.qbo_access_token, env.qbo_api_url,
                                            oauth=qbo_oauth, environment=env.qbo_environment)
        return cls(
            database_url=database_url or env.database_url or default_database_url(),
            xero=xero,
            quickbooks=quickbooks,
            profile=env.profile,
            sqlite_synchronous=_sqlite_synchronous(env.sqlite_synchronous, env.profile),
            group_commit=_group_commit(env.group_commit),
            idempotency_ttl=env.idempotency_ttl_hours,
            max_posting_lines=env.max_posting_lines,
            password_cost=_password_cost(env.password_cost, env.profile),
            webhook_key=env.webhook_key,
            webhook_key_file=env.webhook_key_file or default_webhook_key_file(),
        )
