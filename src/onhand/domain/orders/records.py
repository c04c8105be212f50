"""What the order repositories give the services: sales orders, their lines and reservations as
typed records (the adapters build them from rows; services read their attributes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class SalesOrderRecord:
    """A sales order's header as stored."""

    id: int
    reference: str
    channel: str
    external_id: str | None
    customer: str | None
    ship_to_name: str | None
    ship_to_line1: str | None
    ship_to_line2: str | None
    ship_to_city: str | None
    ship_to_region: str | None
    ship_to_postcode: str | None
    ship_to_country: str | None
    ship_to_latitude: float | None
    ship_to_longitude: float | None
    currency: str
    exchange_rate: Decimal | None
    requested_ship_date: date
    status: str
    allocated_at: datetime | None
    cancelled_at: datetime | None
    routing_note: str | None
    created_at: datetime
    updated_at: datetime
    # Whether any package was packed for it (its package queries run only then).
    has_packages: bool
    customer_id: int | None = None  # its customer's record


@dataclass(frozen=True, slots=True)
class SalesOrderLineRecord:
    """A sales order line with what was reserved, picked, shipped and returned for it."""

    id: int
    order_id: int
    line_no: int
    item_id: int
    quantity: Decimal
    unit_price: Decimal
    pinned_lot_id: int | None
    location_id: int | None
    kit_line_no: int | None
    per_kit: Decimal | None
    # Its item's SKU, kind and unit's decimals.
    sku: str
    item_kind: str
    unit_decimals: int
    pinned_lot_code: str | None
    location_code: str | None
    # Sums over its reservations, shipment lines and return lines.
    reserved: Decimal
    picked: Decimal
    shipped: Decimal
    returned: Decimal


@dataclass(frozen=True, slots=True)
class ReservationRecord:
    """What is promised to an order line from one balance (item, location, lot_key: 0 for none)."""

    id: int
    order_line_id: int
    item_id: int
    location_id: int
    lot_key: int
    quantity: Decimal
    picked: Decimal
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OrderReservationRecord:
    """A reservation of one order with what picking and rendering need."""

    id: int
    order_line_id: int
    item_id: int
    location_id: int
    lot_key: int
    quantity: Decimal
    picked: Decimal
    created_at: datetime
    # Its line's number, item, location (and walk order) and lot.
    line_no: int
    sku: str
    location_code: str
    walk_order: int | None
    lot_code: str | None
    expiry_date: date | None
