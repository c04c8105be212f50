"""Sales channels: what adding and mapping take, and how a channel and its exceptions read back.
A channel's secrets are never part of any of these."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from pydantic import Field

from onhand.domain.channels.views import ChannelExceptionView, ChannelView
from onhand.entrypoints.api.schemas.common import RequestModel, ResponseModel


class ChannelIn(RequestModel):
    name: str = Field(max_length=32, examples=["shop-us"], description="a-z, 0-9, _ -; the orders' `channel`")
    kind: str = Field(max_length=16, examples=["shopify"], description="shopify, amazon or generic")
    endpoint: str | None = Field(None, max_length=300, examples=["https://shop-us.myshopify.com"])
    api_version: str | None = Field(None, max_length=16, examples=["2026-01"])
    credentials: str | None = Field(
        None, max_length=300, description="Where the secrets are: `env` (default) or `file:<absolute path>`"
    )


class LocationMapIn(RequestModel):
    location: str = Field(max_length=200, examples=["NY"])
    external_location_id: str = Field(max_length=100, examples=["gid://shopify/Location/124656943"])


class SkuMapIn(RequestModel):
    sku: str = Field(max_length=100, examples=["MUG-12OZ"])
    external_sku: str | None = Field(None, max_length=100)
    external_variant_id: str | None = Field(None, max_length=100, examples=["39072856"])
    external_item_id: str | None = Field(None, max_length=100, examples=["gid://shopify/InventoryItem/30322695"])


class LocationMapOut(ResponseModel):
    location: str
    external_location_id: str


class SkuMapOut(ResponseModel):
    sku: str
    external_sku: str | None
    external_variant_id: str | None
    external_item_id: str | None


class ChannelOut(ResponseModel):
    name: str
    kind: str
    endpoint: str | None
    api_version: str | None
    credentials_source: str = Field(description="env or file: where the secrets are (never the secrets)")
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    created_at: datetime
    locations: list[LocationMapOut]
    skus: list[SkuMapOut]

    @classmethod
    def of(cls, view: ChannelView) -> ChannelOut:
        values = {name: value for name, value in view.__dict__.items() if name not in ("locations", "skus")}
        return cls(**values, locations=[LocationMapOut(**asdict(m)) for m in view.locations],
                   skus=[SkuMapOut(**asdict(m)) for m in view.skus])


class ChannelList(ResponseModel):
    channels: list[ChannelOut]


class ChannelExceptionOut(ResponseModel):
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

    @classmethod
    def of(cls, view: ChannelExceptionView) -> ChannelExceptionOut:
        return cls(**asdict(view))


class ChannelExceptionList(ResponseModel):
    exceptions: list[ChannelExceptionOut]
