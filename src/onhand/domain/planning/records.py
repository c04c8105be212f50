"""What the planning repository hands the services: plain records, never database rows.

The records suggestions read by the hundred thousand (stock, demand sums, supplier offers)
are named tuples: built six times faster than a frozen dataclass, and as immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from onhand.domain.planning.cycle_counts import SessionStatus
from onhand.domain.planning.projection import DocumentKind


class StockAt(NamedTuple):
    item_id: int
    location_id: int
    on_hand: Decimal
    reserved: Decimal


@dataclass(frozen=True)
class OpenDocument:
    """An open document's effect on one item at one location (signed: + in, − out)."""

    item_id: int
    location_id: int
    kind: DocumentKind
    reference: str
    day: date | None  # None: no date given (counted today)
    quantity: Decimal


class DemandSums(NamedTuple):
    """Net shipments of one item from one location over a window: Σ per day and Σ (per day)²."""

    item_id: int
    location_id: int
    total: Decimal
    squares: Decimal


@dataclass(frozen=True)
class DailyDemand:
    """Net shipments of one item from one site on one day (the company's day)."""

    item_id: int
    location_id: int
    day: date
    quantity: Decimal


class SupplierOffer(NamedTuple):
    item_id: int
    supplier_id: int
    supplier: str
    currency: str
    lead_time_days: int
    unit_cost: Decimal
    min_order_quantity: Decimal | None
    pack_size: Decimal | None


@dataclass(frozen=True)
class OpenAlert:
    key: str
    kind: str
    item_id: int
    location_id: int
    lot_id: int | None
    quantity: Decimal
    day: date | None
    message: str


@dataclass(frozen=True)
class SessionRecord:
    id: int
    location_id: int
    location: str
    status: SessionStatus
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    posting_id: int | None


@dataclass(frozen=True)
class SessionLine:
    item_id: int
    sku: str
    lot_key: int  # 0: no lot
    lot: str | None
    frozen: Decimal
    counted: Decimal | None
