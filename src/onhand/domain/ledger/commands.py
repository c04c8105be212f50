"""The commands of the ledger's own postings: adjusting, counting and relocating stock
(see domain/commands.py).

Numbers and dates arrive typed: the edge (API models, CLI options, an import) reads text
with `parse_stock_line` and `read_moment`, naming the field. What needs the database —
a quantity's precision in the item's unit, whether a lot exists, the company's time zone
for an `effective_at` without an offset — is checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from onhand.domain.calendar import parse_date
from onhand.domain.commands import as_tuple
from onhand.domain.quantities import optional_decimal, parse_decimal


@dataclass(frozen=True)
class StockLine:
    """One line of an adjustment, count, relocation or opening stock."""

    sku: str
    quantity: Decimal
    lot: str | None = None
    # For a lot first seen on this line (stock found or opening stock).
    expiry_date: date | None = None
    production_date: date | None = None
    # What one unit found (or opened) is worth, in company currency; only on a line
    # that adds stock. None: the current cost of the item at that place.
    unit_cost: Decimal | None = None


def parse_stock_line(
    field_name: str, *, sku: str, quantity: object, lot: str | None = None, expiry_date: object = None,
    production_date: object = None, unit_cost: object = None,
) -> StockLine:
    """A line from text or JSON numbers; an error names `<field_name>.quantity`, `.expiry_date` …"""
    return StockLine(
        sku=sku, quantity=parse_decimal(quantity, f"{field_name}.quantity"), lot=lot or None,
        expiry_date=parse_date(expiry_date, f"{field_name}.expiry_date"),  # type: ignore[arg-type]
        production_date=parse_date(production_date, f"{field_name}.production_date"),  # type: ignore[arg-type]
        unit_cost=optional_decimal(unit_cost, f"{field_name}.unit_cost"),
    )


@dataclass(frozen=True)
class PostAdjustment:
    """Signed quantities (+ found, − lost) at one internal location, with a reason code.
    `effective_at` backdates it: an aware moment, or a naive one or a date read in the
    company's time zone by the service."""

    location: str
    lines: tuple[StockLine, ...]
    reason: str
    reference: str | None = None
    note: str | None = None
    effective_at: datetime | date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class PostStockCount:
    """Counted quantities at exactly one location; the difference to the books is posted."""

    location: str
    lines: tuple[StockLine, ...]
    reason: str = "count"
    reference: str | None = None
    note: str | None = None
    effective_at: datetime | date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))


@dataclass(frozen=True)
class MoveStock:
    """Stock moved directly from one internal location to another, now."""

    source: str
    destination: str
    lines: tuple[StockLine, ...]
    reference: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", as_tuple(self.lines))
