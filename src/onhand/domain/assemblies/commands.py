"""The commands of assemblies: bundle components, bills of materials, build orders,
build runs and disassembly (see domain/commands.py).

Quantities, costs and dates arrive typed: the edge (API models, CLI options) reads text
with `parse_component_line`, `parse_component_lot`, `parse_decimal`, `parse_date` and
`calendar.read_moment`, naming the field. What needs the database (an item's
unit, the company's time zone, a lot's expiry) is checked by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from onhand.domain.calendar import parse_date
from onhand.domain.commands import as_tuple
from onhand.domain.quantities import parse_decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class ComponentLine:
    """One component: `quantity` of `sku` per one parent (in the component's unit), and
    for a bill of materials `scrap_percent` more consumed on top."""

    sku: str
    quantity: Decimal
    scrap_percent: Decimal = ZERO


@dataclass(frozen=True)
class ComponentLot:
    """`quantity` of `sku` from lot `lot` (consumed by a build, or given back by a
    disassembly, which may name a new lot with its expiry)."""

    sku: str
    lot: str
    quantity: Decimal
    expiry_date: date | None = None


@dataclass(frozen=True)
class SetBundleComponents:
    """Give a bundle its components, replacing any it had."""

    sku: str
    components: tuple[ComponentLine, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "components", as_tuple(self.components))


@dataclass(frozen=True)
class SetBillOfMaterials:
    """Give a stocked item its recipe, replacing any it had; labour and overhead are costs
    per unit of output."""

    sku: str
    components: tuple[ComponentLine, ...]
    labour_cost: Decimal = ZERO
    overhead_cost: Decimal = ZERO
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "components", as_tuple(self.components))


@dataclass(frozen=True)
class CreateBuildOrder:
    """Plan to build `quantity` of `sku` at `location` (a draft; numbered without a reference)."""

    sku: str
    location: str
    quantity: Decimal
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class BuildOrderAction:
    """An action on a whole build order (start, finish, cancel)."""

    reference: str


@dataclass(frozen=True)
class BuildRun:
    """Build `quantity` (None: all that is left) of a build order in one posting.
    `effective_at` is a moment (naive: read in the company's time zone by the service) or
    a date (its start there)."""

    reference: str
    quantity: Decimal | None = None
    output_lot: str | None = None
    output_expiry: date | None = None
    component_lots: tuple[ComponentLot, ...] = ()
    effective_at: datetime | date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "component_lots", as_tuple(self.component_lots))


@dataclass(frozen=True)
class Disassemble:
    """Take `quantity` of `sku` (lot `lot`, if tracked) at `location` apart; `effective_at`
    as for a build run."""

    sku: str
    location: str
    quantity: Decimal
    lot: str | None = None
    component_lots: tuple[ComponentLot, ...] = ()
    reference: str | None = None
    note: str | None = None
    effective_at: datetime | date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "component_lots", as_tuple(self.component_lots))


def parse_component_line(field: str, *, sku: str, quantity: object, scrap_percent: object = "0") -> ComponentLine:
    """A component from text or JSON numbers; an error names `<field>.quantity` or `.scrap_percent`."""
    return ComponentLine(
        sku=sku, quantity=parse_decimal(quantity, f"{field}.quantity"),
        scrap_percent=parse_decimal(scrap_percent, f"{field}.scrap_percent"),
    )


def parse_component_lot(
    field: str, *, sku: str, lot: str, quantity: object, expiry_date: date | str | None = None
) -> ComponentLot:
    """A component lot from text; an error names `<field>.quantity` or `.expiry_date`."""
    return ComponentLot(
        sku=sku, lot=lot, quantity=parse_decimal(quantity, f"{field}.quantity"),
        expiry_date=parse_date(expiry_date, f"{field}.expiry_date"),
    )
