"""What the planning services return: rules, demand, projections, suggestions, alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from onhand.domain.planning.projection import ProjectedDay


@dataclass(frozen=True)
class ReorderRuleView:
    sku: str
    site: str
    minimum: Decimal | None
    maximum: Decimal | None
    reorder_quantity: Decimal | None
    safety_stock: Decimal | None
    service_level: Decimal | None
    supplier: str | None
    lead_time_days: int | None
    min_order_quantity: Decimal | None
    order_multiple: Decimal | None
    demand_window_days: int


@dataclass(frozen=True)
class DemandView:
    sku: str
    site: str
    window_days: int
    total: Decimal
    average_daily: Decimal
    deviation: Decimal
    from_assemblies: Decimal  # what assemblies built from this item add to its total
    demand_method: str  # moving_average or exponential_smoothing
    forecast_daily: Decimal  # the method's demand a day over the next 28 days
    held_back_days: int  # the window's last days hidden from the method to judge it
    mean_absolute_error: Decimal | None  # the method's, on the held-back days
    moving_average_mean_absolute_error: Decimal | None  # the moving average's, on the same days


@dataclass(frozen=True)
class ProjectionView:
    sku: str
    site: str
    on_hand: Decimal
    position: Decimal
    minimum: Decimal | None
    average_daily_demand: Decimal
    first_below_minimum: date | None
    first_stock_out: date | None
    days: tuple[ProjectedDay, ...]


@dataclass(frozen=True)
class PurchaseSuggestion:
    sku: str
    site: str
    quantity: Decimal
    unit_cost: Decimal | None
    cost: Decimal | None
    expected_date: date
    reason: str


@dataclass(frozen=True)
class SupplierSuggestions:
    supplier: str | None  # None: no supplier is known for these items
    currency: str | None
    total_cost: Decimal | None
    lines: tuple[PurchaseSuggestion, ...]


@dataclass(frozen=True)
class TransferSuggestion:
    sku: str
    source: str
    destination: str
    quantity: Decimal
    reason: str


@dataclass(frozen=True)
class Suggestions:
    day: date
    purchases: tuple[SupplierSuggestions, ...]
    transfers: tuple[TransferSuggestion, ...]


@dataclass(frozen=True)
class CreatedDocuments:
    purchase_orders: tuple[str, ...]
    transfers: tuple[str, ...]
    skipped: tuple[str, ...]  # suggestions that could not become a document, and why


@dataclass(frozen=True)
class Alert:
    kind: str  # low_stock, stock_out, expiring_lot, backorder
    sku: str
    site: str
    message: str
    quantity: Decimal
    day: date | None
    lot: str | None = None


@dataclass(frozen=True)
class AlertScan:
    raised: tuple[Alert, ...]
    cleared: tuple[str, ...]  # keys of alerts no longer true
    open: int
    at: datetime
