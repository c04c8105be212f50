"""What the purchase order repository gives the services: orders and their lines as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class PurchaseOrderRecord:
    """A purchase order's header as stored."""

    id: int
    reference: str
    supplier_id: int
    supplier_reference: str | None
    currency: str
    destination_id: int
    expected_date: date | None
    status: str
    note: str | None
    created_at: datetime
    updated_at: datetime
    ordered_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True, slots=True)
class PurchaseOrderLineRecord:
    """A purchase order line with its item's SKU and the supplier's SKU for it."""

    id: int
    order_id: int
    line_no: int
    item_id: int
    quantity: Decimal
    unit_cost: Decimal
    sku: str
    supplier_sku: str | None
