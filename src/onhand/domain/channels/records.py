"""What the channel repository hands the services: typed records, never database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    id: int
    name: str
    kind: str
    endpoint: str | None
    api_version: str | None
    credentials: str
    availability_version: int
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LocationMappingRecord:
    location_id: int
    external_location_id: str


@dataclass(frozen=True, slots=True)
class SkuMappingRecord:
    item_id: int
    sku: str
    external_sku: str | None
    external_variant_id: str | None
    external_item_id: str | None


@dataclass(frozen=True, slots=True)
class ExceptionRecord:
    id: int
    channel_id: int
    kind: str
    external_order_id: str | None
    external_line_id: str | None
    sku: str | None
    detail: str
    delivery_id: int | None
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    channel_id: int
    topic: str
    external_event_id: str
    body: bytes
    received_at: datetime
    processed_at: datetime | None
    attempts: int
    error: str | None


@dataclass(frozen=True, slots=True)
class ChannelOrderLineRecord:
    external_line_id: str
    sku: str | None
    external_variant_id: str | None
    quantity: Decimal
    unit_price: Decimal
    item_id: int | None
    line_no: int | None


@dataclass(frozen=True, slots=True)
class PushRecord:
    """The quantity one channel location should show for one item, and what it last accepted."""

    id: int
    channel_id: int
    item_id: int
    external_location_id: str
    quantity: Decimal
    version: int
    sent_quantity: Decimal | None
    sent_version: int
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class FulfilmentRecord:
    id: int
    channel_id: int
    order_id: int
    shipment_key: str
    external_order_id: str
    body: str  # JSON: {"lines": [[channel line id, quantity]], "carrier", "tracking_number"}
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    external_id: str | None
    sent_at: datetime | None
    created_at: datetime
