"""Settings, read from the environment only when asked (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def default_database_url() -> str:
    path = Path(user_data_dir("onhand", appauthor=False)) / "onhand.db"
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class XeroSettings:
    """Where posted journals are pushed in Xero; the token is never shown (repr) or logged."""

    tenant_id: str
    access_token: str = field(repr=False)
    api_url: str | None = None  # default: the SDK's https://api.xero.com/api.xro/2.0


@dataclass(frozen=True)
class QuickBooksSettings:
    """Where posted journals are pushed in QuickBooks Online; the token is never shown or logged."""

    realm_id: str
    access_token: str = field(repr=False)
    api_url: str | None = None  # default: the SDK's https://quickbooks.api.intuit.com/v3


@dataclass(frozen=True)
class Settings:
    database_url: str
    xero: XeroSettings | None = None
    quickbooks: QuickBooksSettings | None = None

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        """ONHAND_DATABASE_URL; ONHAND_XERO_TENANT_ID + ONHAND_XERO_ACCESS_TOKEN (+ ONHAND_XERO_API_URL);
        ONHAND_QBO_REALM_ID + ONHAND_QBO_ACCESS_TOKEN (+ ONHAND_QBO_API_URL)."""
        env = os.environ.get
        tenant, token = env("ONHAND_XERO_TENANT_ID"), env("ONHAND_XERO_ACCESS_TOKEN")
        xero = XeroSettings(tenant, token, env("ONHAND_XERO_API_URL") or None) if tenant and token else None
        realm, qbo_token = env("ONHAND_QBO_REALM_ID"), env("ONHAND_QBO_ACCESS_TOKEN")
        quickbooks = None
        if realm and qbo_token:
            quickbooks = QuickBooksSettings(realm, qbo_token, env("ONHAND_QBO_API_URL") or None)
        return cls(
            database_url=database_url
            or os.environ.get("ONHAND_DATABASE_URL")
            or default_database_url(),
            xero=xero,
            quickbooks=quickbooks,
        )
