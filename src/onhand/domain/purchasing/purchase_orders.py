"""Suppliers and purchase orders: their states, the arithmetic of a line, over-receipt.

A purchase order is drafted (editable), placed with the supplier (`ordered`), received
in one or more receipts (`partially_received`, then `received`), or ended early:
`closed` ends the open quantity of a partly received order, `cancelled` ends an order
of which nothing was received. The status is derived from those facts by one function.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from onhand.domain.errors import Conflict, InvalidInput
from onhand.domain.money import exchange_rate, money, positive_money
from onhand.domain.quantities import parse_decimal

SUPPLIER_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#\-]{0,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LEAD_TIME_DAYS = 3650
MAX_TOLERANCE_PCT = Decimal(1000)
ZERO = Decimal(0)
PlaceKey = TypeVar("PlaceKey", bound=Hashable)


class PurchaseOrderStatus(StrEnum):
    DRAFT = "draft"  # editable; not yet sent to the supplier
    ORDERED = "ordered"  # placed: its quantities are incoming
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"  # every line received in full
    CLOSED = "closed"  # ended with some of it never received
    CANCELLED = "cancelled"  # ended with nothing received


# Orders whose open quantity is still expected (reported as incoming, receivable).
OPEN = frozenset({PurchaseOrderStatus.ORDERED, PurchaseOrderStatus.PARTIALLY_RECEIVED})


@dataclass(frozen=True)
class PurchaseLineProgress:
    ordered: Decimal
    received: Decimal

    @property
    def open(self) -> Decimal:
        """Still expected from the supplier (never negative: over-receipt is not owed back)."""
        return max(self.ordered - self.received, ZERO)


def purchase_order_status(
    lines: list[PurchaseLineProgress], *, placed: bool, closed: bool, cancelled: bool
) -> PurchaseOrderStatus:
    """The status a purchase order's facts imply."""
    if cancelled:
        return PurchaseOrderStatus.CANCELLED
    if lines and placed and all(line.open == 0 for line in lines):
        return PurchaseOrderStatus.RECEIVED
    if closed:
        return PurchaseOrderStatus.CLOSED
    if not placed:
        return PurchaseOrderStatus.DRAFT
    if any(line.received > 0 for line in lines):
        return PurchaseOrderStatus.PARTIALLY_RECEIVED
    return PurchaseOrderStatus.ORDERED


def receivable_limit(ordered: Decimal, tolerance_pct: Decimal) -> Decimal:
    """The most a line may receive in total: ordered plus the over-receipt tolerance."""
    return ordered + ordered * tolerance_pct / 100


def require_draft(status: PurchaseOrderStatus, reference: str) -> None:
    if status is not PurchaseOrderStatus.DRAFT:
        raise Conflict(f"purchase order: {reference} is {status.value}; only a draft can change its lines")


def require_receivable(status: PurchaseOrderStatus, reference: str) -> None:
    if status not in OPEN:
        hint = "; place it first" if status is PurchaseOrderStatus.DRAFT else ""
        raise Conflict(f"purchase order: {reference} is {status.value} and cannot be received{hint}")


def validate_supplier_code(code: str, field: str = "code") -> str:
    code = code.strip()
    if not SUPPLIER_CODE_PATTERN.match(code):
        raise InvalidInput(field, f"{code!r} is not a valid supplier code (1-64 characters: letters, digits, . _ / -)")
    return code


def validate_reference(reference: str, field: str = "reference") -> str:
    reference = reference.strip()
    if not REFERENCE_PATTERN.match(reference):
        raise InvalidInput(
            field, f"{reference!r} is not a valid reference (1-64 characters: letters, digits, . _ / # -)"
        )
    return reference


def validate_email(email: str | None, field: str = "email") -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if len(email) > 200 or not EMAIL_PATTERN.match(email):
        raise InvalidInput(field, f"{email!r} is not an email address")
    return email


def validate_lead_time(days: int, field: str = "lead_time_days") -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_LEAD_TIME_DAYS:
        raise InvalidInput(field, f"must be a whole number of days from 0 to {MAX_LEAD_TIME_DAYS}")
    return days


def validate_tolerance(value: object, field: str = "over_receipt_tolerance_pct") -> Decimal:
    """An over-receipt tolerance in percent: 0 (none) up to 1000, at most 6 decimals."""
    number = parse_decimal(value, field)
    if not ZERO <= number <= MAX_TOLERANCE_PCT:
        raise InvalidInput(field, f"must be a percentage from 0 to {MAX_TOLERANCE_PCT}")
    return _six_decimals(number, field)


def validate_money(value: object, field: str, *, positive: bool = False) -> Decimal:
    """A unit cost or amount: not negative (positive if asked), within bounds (domain/money.py)."""
    return positive_money(value, field) if positive else money(value, field)


def validate_exchange_rate(value: object, field: str = "exchange_rate") -> Decimal:
    """Units of company currency for one unit of the document's currency (domain/money.py)."""
    return exchange_rate(value, field)


def _six_decimals(number: Decimal, field: str) -> Decimal:
    if number != number.quantize(Decimal("0.000001")):
        raise InvalidInput(field, "has more than 6 decimals")
    return number


def split_return(
    places: Sequence[tuple[PlaceKey, Decimal]], quantity: Decimal
) -> list[tuple[PlaceKey, Decimal]]:
    """Take `quantity` from the places a line was received at, in the order given, each up
    to what is left there to return; what cannot be covered is the caller's error to raise."""
    taken = []
    wanted = quantity
    for key, left in places:
        if wanted <= 0:
            break
        part = min(left, wanted)
        if part > 0:
            taken.append((key, part))
            wanted -= part
    return taken
