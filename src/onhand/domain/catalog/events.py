"""What the catalog tells the areas above it when stock stops or starts being sellable,
in the same transaction (orders give back promises and serve waiting orders)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from onhand.domain.catalog.lots import Lot, LotStatus


@dataclass(frozen=True)
class LotStatusChanged:
    lot: Lot  # as it was
    status: LotStatus  # what it is now
    now: datetime

    @property
    def released(self) -> bool:
        """Sellable again after a quarantine or recall."""
        return self.status is LotStatus.RELEASED and self.lot.status is not LotStatus.RELEASED


@dataclass(frozen=True)
class SellablePlacesChanged:
    closed: tuple[int, ...]  # location ids that stopped being sellable
    opened: tuple[int, ...]  # location ids that became sellable
    now: datetime


@dataclass(frozen=True)
class ItemChanged:
    """An item was created (`created`) or its fields changed."""

    item_id: int
    sku: str
    created: bool


@dataclass(frozen=True)
class LocationChanged:
    """A location was created (`created`) or its fields changed."""

    location_id: int
    code: str
    created: bool
