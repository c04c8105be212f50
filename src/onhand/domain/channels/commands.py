"""The commands of the channels area: add a channel, map its locations and SKUs,
resolve an exception. Text is read into these at the edge; the service checks the rest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddChannel:
    name: str
    kind: str
    endpoint: str | None = None
    api_version: str | None = None
    credentials: str | None = None  # "env" (default) or "file:<path>": where, never what


@dataclass(frozen=True)
class MapLocation:
    """Stock at Onhand `location` counts toward the channel's `external_location_id`
    (several Onhand locations may feed one channel location)."""

    channel: str
    location: str
    external_location_id: str


@dataclass(frozen=True)
class UnmapLocation:
    channel: str
    location: str


@dataclass(frozen=True)
class MapSku:
    """Item `sku` is the channel's `external_sku` (default: the same SKU) and, when known,
    its variant and inventory-item ids there."""

    channel: str
    sku: str
    external_sku: str | None = None
    external_variant_id: str | None = None
    external_item_id: str | None = None


@dataclass(frozen=True)
class ResolveException:
    channel: str
    exception_id: int


@dataclass(frozen=True)
class AcceptDelivery:
    """A webhook as received: `body` is the raw bytes the signature covers."""

    channel: str
    topic: str
    external_event_id: str
    body: bytes
    signature: str | None
