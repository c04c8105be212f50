"""What a channel's payloads mean to Onhand, whatever their format: an order (new, edited
or cancelled) with its lines, a refund with its restocks. The adapters of each kind read
their payloads into these (adapters/channels/<kind>/payloads.py); the services apply them.
Quantities and money are Decimal, ids are text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from onhand.domain.orders.views import ShipTo


@dataclass(frozen=True)
class ChannelLine:
    external_line_id: str
    sku: str | None  # may be blank in the channel: then the variant id decides
    external_variant_id: str | None
    quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class ChannelOrder:
    external_order_id: str
    name: str | None  # what the channel shows ("#1001")
    currency: str | None
    lines: tuple[ChannelLine, ...]
    cancelled: bool = False
    customer: str | None = None
    customer_email: str | None = None
    customer_external_id: str | None = None
    ship_to: ShipTo | None = None
    updated_at: str | None = None  # the channel's own stamp, as given


@dataclass(frozen=True)
class Restock:
    external_line_id: str
    quantity: Decimal
    kind: str  # "cancel" (units not shipped) or "return" (shipped units coming back)
    external_location_id: str | None


@dataclass(frozen=True)
class ChannelRefund:
    external_refund_id: str
    external_order_id: str
    restocks: tuple[Restock, ...]


def stamped_before(given: str | None, stored: str | None) -> bool:
    """Whether the channel stamped `given` before `stored` (ISO 8601 moments with offsets):
    an update older than the one applied last is ignored."""
    if stored is None or given is None:
        return False
    try:
        return datetime.fromisoformat(given) < datetime.fromisoformat(stored)
    except (TypeError, ValueError):  # not comparable as moments: as text, as given
        return given < stored


# What the inbox does with a delivery of each topic (the adapter names the topics).
Document = ChannelOrder | ChannelRefund | None


@dataclass(frozen=True)
class QuantityToSet:
    """Set the available quantity of one inventory item at one channel location."""

    external_item_id: str
    external_location_id: str
    quantity: int
    change_from: int | None  # the quantity believed to be there now (None: do not compare)


@dataclass(frozen=True)
class FulfilmentLine:
    external_line_id: str
    quantity: int


@dataclass(frozen=True)
class FulfilmentToCreate:
    external_order_id: str
    lines: tuple[FulfilmentLine, ...]
    carrier: str | None
    tracking_number: str | None
