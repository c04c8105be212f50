"""What planning publishes for the change feed: an alert raised, an alert cleared."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class AlertRaised:
    key: str  # kind:item:site[:lot]: one open alert per key
    kind: str
    item_id: int
    location_id: int
    lot_id: int | None
    quantity: Decimal
    message: str


@dataclass(frozen=True)
class AlertCleared:
    key: str
    kind: str
    item_id: int
    location_id: int
    lot_id: int | None
