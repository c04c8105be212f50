"""What the channels services return: plain read models, never a secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LocationMapping:
    location: str
    external_location_id: str


@dataclass(frozen=True)
class SkuMapping:
    sku: str
    external_sku: str | None
    external_variant_id: str | None
    external_item_id: str | None


@dataclass(frozen=True)
class ChannelView:
    name: str
    kind: str
    endpoint: str | None
    api_version: str | None
    credentials_source: str  # "env" or "file": where the secrets are, never what they are
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    created_at: datetime
    locations: tuple[LocationMapping, ...] = ()
    skus: tuple[SkuMapping, ...] = ()


@dataclass(frozen=True)
class ChannelExceptionView:
    id: int
    channel: str
    kind: str
    external_order_id: str | None
    external_line_id: str | None
    sku: str | None
    detail: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
