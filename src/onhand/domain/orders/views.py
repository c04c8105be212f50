"""Read models of sales orders, their shipments, packages and returns: plain and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class ShipTo:
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ReservationView:
    id: int
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: Decimal
    picked: Decimal


@dataclass(frozen=True)
class OrderLineView:
    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    lot: str | None  # pinned by the customer or channel
    location: str | None  # chosen by a user, overriding routing
    reserved: Decimal
    picked: Decimal
    shipped: Decimal
    returned: Decimal
    backordered: Decimal
    open: Decimal
    reservations: tuple[ReservationView, ...]
    # On a bundle's component: the bundle's line (whose figures count whole bundles).
    kit_line_no: int | None = None


@dataclass(frozen=True)
class ShipmentLineView:
    line_no: int
    sku: str
    location: str
    lot: str | None
    quantity: Decimal


@dataclass(frozen=True)
class ShipmentView:
    id: int
    posting_id: int
    created_at: datetime
    lines: tuple[ShipmentLineView, ...]


@dataclass(frozen=True)
class PackageView:
    id: int
    carrier: str | None
    tracking_number: str | None
    weight_kg: Decimal | None
    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None
    shipment_id: int | None
    contents: tuple[tuple[int, Decimal], ...]  # (line number, quantity)


@dataclass(frozen=True)
class ReturnLineView:
    line_no: int
    sku: str
    location: str
    lot: str | None
    quantity: Decimal
    reason: str
    condition: str
    # Refunded per unit in the order's currency; None: the default (the line's price, or
    # for a bundle's component its share of the bundle's price, by cost).
    refund_unit_price: Decimal | None = None


@dataclass(frozen=True)
class ReturnView:
    reference: str  # the RMA number
    posting_id: int
    created_at: datetime
    lines: tuple[ReturnLineView, ...]


@dataclass(frozen=True)
class SalesOrderView:
    reference: str
    channel: str
    external_id: str | None
    customer: str | None
    ship_to: ShipTo
    currency: str
    requested_ship_date: date
    status: str
    routing_note: str | None
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    lines: tuple[OrderLineView, ...]
    shipments: tuple[ShipmentView, ...] = ()
    packages: tuple[PackageView, ...] = ()
    returns: tuple[ReturnView, ...] = ()
    # Company currency per unit of `currency`; None only on an order in another currency
    # made before rates were kept (its revenue is not journaled until one is given).
    exchange_rate: Decimal | None = None
    # The customer's record (its code); `customer` is its name.
    customer_code: str | None = None
