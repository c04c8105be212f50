"""The commands of planning: reorder rules, turning suggestions into documents, the alert scan.

Quantities and levels arrive typed (`parse_decimal` at the edge, naming the field); what
needs the database (the item's unit, the site, the supplier) is checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.commands import as_tuple

DEFAULT_WINDOW_DAYS = 90
DEFAULT_EXPIRY_DAYS = 30


@dataclass(frozen=True)
class SetReorderRule:
    """Create or replace the rule of `sku` at `site` (a warehouse, store or 3PL)."""

    sku: str
    site: str
    minimum: Decimal | None = None  # the reorder point; None: lead-time demand + safety stock
    maximum: Decimal | None = None  # order up to this (min/max)
    reorder_quantity: Decimal | None = None  # or order in lots of this (reorder point + quantity)
    safety_stock: Decimal | None = None
    service_level: Decimal | None = None  # e.g. 0.95: safety stock z × σ × √lead time
    supplier: str | None = None  # preferred supplier (code)
    lead_time_days: int | None = None  # None: the supplier's
    min_order_quantity: Decimal | None = None  # None: the supplier price's
    order_multiple: Decimal | None = None  # None: the supplier price's pack size
    demand_window_days: int = DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class RemoveReorderRule:
    sku: str
    site: str


@dataclass(frozen=True)
class CreateSuggestedDocuments:
    """Turn today's suggestions into draft purchase orders (one per supplier and site) and
    draft transfers (one per source and destination); `skus` limits them to those items."""

    skus: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "skus", as_tuple(self.skus))


@dataclass(frozen=True)
class ScanAlerts:
    """Raise what is true now (low stock, stock-out within lead time, lots expiring within
    `expiry_days`, backorders waiting) and clear what no longer is."""

    expiry_days: int = DEFAULT_EXPIRY_DAYS


@dataclass(frozen=True)
class OpenCountSession:
    """Freeze the book of `location` (exactly that place: a bin, or a site without its
    bins) per item and lot; `skus` limits the session to those items (counted even if the
    books hold none of them)."""

    location: str
    skus: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "skus", as_tuple(self.skus))


@dataclass(frozen=True)
class RecordCount:
    """What the counter found of `sku` (and `lot`) in the session's place; counting again replaces it."""

    session_id: int
    sku: str
    quantity: Decimal
    lot: str | None = None


@dataclass(frozen=True)
class PostCountSession:
    session_id: int
    reason: str = "count"
    note: str | None = None


@dataclass(frozen=True)
class CancelCountSession:
    session_id: int
