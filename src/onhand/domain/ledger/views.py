"""Read models of the ledger: postings, their moves and balance rows, plain and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


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
