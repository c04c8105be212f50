"""What orders tell others, in the same transaction: an order's status changed, stock
was promised to an order line or given back (the change feed records them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.ledger.postings import BalanceKey


@dataclass(frozen=True)
class OrderStatusChanged:
    order_id: int
    status: str
    previous: str | None  # None: the order was just created


@dataclass(frozen=True)
class ReservationMade:
    order_line_id: int
    key: BalanceKey
    quantity: Decimal


@dataclass(frozen=True)
class ReservationReleased:
    order_line_id: int
    key: BalanceKey
    quantity: Decimal
    shipped: bool  # True: the promise was kept (the stock left); False: given back to free stock
