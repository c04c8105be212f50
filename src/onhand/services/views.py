"""Read models the services return: plain, immutable, ready to render as JSON or a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Company:
    name: str
    timezone: str
    currency: str
    # Days of shelf life a lot must still have on the ship date (items may override).
    min_remaining_shelf_life_days: int = 0
    # Percent a purchase receipt may exceed the ordered quantity (suppliers may override).
    over_receipt_tolerance_pct: Decimal = Decimal(0)


@dataclass(frozen=True)
class ReasonCode:
    code: str
    description: str


@dataclass(frozen=True)
class MoveView:
    id: int
    posting_id: int
    sku: str
    lot: str | None
    from_location: str
    to_location: str
    quantity: Decimal
    posting_kind: str
    reason: str | None
    reference: str | None
    created_at: datetime
    effective_at: datetime


@dataclass(frozen=True)
class PostingView:
    id: int
    kind: str
    reason: str | None
    reference: str | None
    note: str | None
    created_at: datetime
    effective_at: datetime
    moves: tuple[MoveView, ...]
    # Who posted it: `api_key:3`, `cli:alice`, `system` (domain/actors.py); None before revision 0015.
    actor: str | None = None


@dataclass(frozen=True)
class BalanceRow:
    """One balance row with what availability needs to know about it."""

    item_id: int
    sku: str
    location_id: int
    lot_id: int | None
    lot_code: str | None
    lot_status: str | None
    lot_expiry: date | None
    on_hand: Decimal
    reserved: Decimal


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
class ImportReport:
    kind: str
    rows_total: int
    rows_imported: int
    errors: tuple[RowError, ...] = ()
    posting_id: int | None = None
    created_ids: tuple[int, ...] = field(default=())
    run_id: int | None = None  # the import run's record (None: nothing was written)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ApiKeyView:
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None
    last_used_at: datetime | None = None  # to the minute (domain/access/api_keys.py)
    rotated_at: datetime | None = None
    # After a rotation, the previous secret works until then.
    previous_secret_expires_at: datetime | None = None


@dataclass(frozen=True)
class UserView:
    """A user account (never its password hash)."""

    id: int
    email: str
    name: str
    role: str
    locations: tuple[str, ...] | None  # None: every location
    created_at: datetime
    disabled_at: datetime | None


@dataclass(frozen=True)
class SessionView:
    """A signed-in web session: whose it is and the CSRF token its forms carry."""

    user: UserView
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class NewSession:
    """Returned once, at sign-in: the cookie's token exists only here and in the cookie."""

    session: SessionView
    token: str


@dataclass(frozen=True)
class NewApiKey:
    """Returned once, at creation or rotation: the only time the secret exists outside the caller."""

    key: ApiKeyView
    secret: str
