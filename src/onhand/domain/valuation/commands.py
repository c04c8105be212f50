"""The commands of valuation: valuing opening stock and choosing costing methods (see
domain/commands.py). Costs arrive as decimals; the service checks them as money of the
company's currency and everything that needs the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from onhand.domain.commands import as_tuple


@dataclass(frozen=True)
class OpeningCost:
    """What one unit of stock on hand before Onhand was worth, in company currency: for an
    item everywhere, or at one location, or (specific identification) of one lot."""

    sku: str
    unit_cost: Decimal | None
    location: str | None = None
    lot: str | None = None


@dataclass(frozen=True)
class ValueOpeningStock:
    lines: tuple[OpeningCost, ...]
    reference: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class SetCompanyCostingMethod:
    method: str


@dataclass(frozen=True)
class SetPriceDifferences:
    """Where a receipt's difference from its order's unit cost goes: to_stock or variance."""

    choice: str


@dataclass(frozen=True)
class SetItemCostingMethod:
    """Give an item its own method, or (None or "") let it follow the company's."""

    sku: str
    method: str | None
