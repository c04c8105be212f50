"""What the transfer repository gives the services: transfer orders and their lines as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """A transfer order's header as stored."""

    id: int
    reference: str
    source_id: int
    destination_id: int
    transit_id: int
    status: str
    expected_date: date | None
    carrier: str | None
    tracking_number: str | None
    note: str | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TransferLineRecord:
    """A transfer line with its item's SKU and its lot's code."""

    id: int
    transfer_id: int
    line_no: int
    item_id: int
    lot_id: int | None
    quantity: Decimal
    sku: str
    lot_code: str | None
