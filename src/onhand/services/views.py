"""Read models the services return: plain, immutable, ready to render as JSON or a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from onhand.domain.access.views import (
    ApiKeyView,
    NewApiKey,
    NewSession,
    SessionView,
    UserView,
)
from onhand.domain.catalog.views import (
    Company,
    ReasonCode,
)
from onhand.domain.ledger.views import (
    BalanceRow,
    MoveView,
    PostingView,
)


@dataclass(frozen=True)
class StockLevel:
    sku: str
    location: str | None
    lot: str | None
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    expiry_date: date | None = None
    # True when some balance in the row is below zero (a location allowed to go negative).
    negative: bool = False
    # On its way here from another site (on hand at a transit location), and when the
    # earliest of it is expected.
    in_transit: Decimal = Decimal(0)
    in_transit_expected: date | None = None
    # Ordered from suppliers and not yet received (open purchase orders bound here), and
    # the earliest expected date among them. Never available.
    incoming: Decimal = Decimal(0)
    incoming_expected: date | None = None


@dataclass(frozen=True)
class StockReport:
    levels: tuple[StockLevel, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Discrepancy:
    sku: str
    location: str
    lot: str | None
    expected: Decimal
    actual: Decimal


@dataclass(frozen=True)
class StoredValue:
    """A number stored where Onhand cannot read it exactly: `what` (on hand, reserved, a
    move's quantity, a reservation) of `sku` at `location`, as `stored` (in 10^-6 units)."""

    what: str
    sku: str
    location: str
    lot: str | None
    stored: str


@dataclass(frozen=True)
class VerifyReport:
    moves_checked: int
    balances_checked: int
    projection_mismatches: tuple[Discrepancy, ...] = ()
    # (sku, lot, sum over all locations) for every item/lot that does not sum to zero.
    conservation_errors: tuple[tuple[str, str | None, Decimal], ...] = ()
    negative_balances: tuple[Discrepancy, ...] = ()
    # balances.reserved (actual) against the sum of reservations (expected).
    reservation_mismatches: tuple[Discrepancy, ...] = ()
    # Guarded balances promising more than they hold (expected: on hand, actual: reserved).
    oversold: tuple[Discrepancy, ...] = ()
    # Order lines holding more than they still need, or cancelled orders holding stock.
    order_errors: tuple[str, ...] = ()
    # Stored numbers that are not integers within ±MAX_TOTAL_QUANTITY (a REAL, text, too large).
    stored_out_of_range: tuple[StoredValue, ...] = ()

    @property
    def ok(self) -> bool:
        return not (
            self.projection_mismatches or self.conservation_errors or self.negative_balances
            or self.reservation_mismatches or self.oversold or self.order_errors or self.stored_out_of_range
        )


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class RowChange:
    """What an import did (or, in a dry run, would do) with one good row."""

    line: int
    key: str  # the SKU, location code, or "SKU@LOCATION" of an opening stock row
    outcome: str  # created, updated or unchanged
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    kind: str
    rows_total: int
    rows_imported: int
    errors: tuple[RowError, ...] = ()
    posting_id: int | None = None
    created_ids: tuple[int, ...] = field(default=())
    run_id: int | None = None  # the import run's record (None: nothing was written)
    changes: tuple[RowChange, ...] = ()  # per row (items, locations; none for opening stock: its count is enough)
    dry_run: bool = False  # a preview: nothing was written
    # The bad rows, and the errors found beyond those listed (an import lists its first
    # MAX_ERRORS_LISTED errors; None: a report of before these were counted).
    rows_rejected: int | None = None
    errors_not_listed: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# The read models re-exported here live in the domain now (domain/<area>/views.py);
# callers elsewhere keep importing them from this module.
__all__ = [
    "ApiKeyView",
    "BalanceRow",
    "Company",
    "Discrepancy",
    "ImportReport",
    "MoveView",
    "NewApiKey",
    "NewSession",
    "PostingView",
    "ReasonCode",
    "RowError",
    "SessionView",
    "StockLevel",
    "StockReport",
    "StoredValue",
    "UserView",
    "VerifyReport",
]
