"""The commands of the catalog: items, units of measure, locations, lots and the company's
settings (see domain/commands.py).

Numbers and dates arrive typed (`Decimal`, `int`, `date`): the edge reads text with the
domain's parsers, naming the field. Choices (a unit, a tracking, a kind, a lot status)
stay text and are checked by the service, which also checks what needs the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from onhand.domain.catalog.items import ItemKind
from onhand.domain.quantities import parse_decimal


def given_decimal(value: object, field: str) -> Decimal | None:
    """A decimal the edge was given (text or a JSON number), or None if it was left out;
    unlike `optional_decimal`, blank text is an error naming `field`, not "left out"."""
    return None if value is None else parse_decimal(value, field)


def _frozen(fields: Mapping[str, str | None] | None) -> Mapping[str, str | None] | None:
    return None if fields is None else MappingProxyType(dict(fields))


@dataclass(frozen=True)
class CreateItem:
    """A new item: `kind` stocked (default), bundle (a virtual kit) or assembly (built)."""

    sku: str
    name: str
    unit: str = "each"
    tracking: str = "none"
    gtin: str | None = None
    shelf_life_days: int | None = None
    kind: str = ItemKind.STOCKED.value
    weight_kg: Decimal | None = None
    category: str | None = None


@dataclass(frozen=True)
class UpdateItem:
    """Change what may change after stock has moved; None leaves a field as it is,
    `category` "" removes it."""

    sku: str
    name: str | None = None
    gtin: str | None = None
    shelf_life_days: int | None = None
    min_remaining_shelf_life_days: int | None = None
    weight_kg: Decimal | None = None
    category: str | None = None


@dataclass(frozen=True)
class CreateUnit:
    code: str
    name: str
    decimals: int


@dataclass(frozen=True)
class CreateLocation:
    """A new location; `address` is its parts by name (name, line1, city, country …)."""

    code: str
    name: str
    kind: str
    parent: str | None = None
    sellable: bool = True
    allow_negative: bool = False
    address: Mapping[str, str | None] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", _frozen(self.address))


@dataclass(frozen=True)
class ArchiveItem:
    """Archive an item (or, with `unarchive_item`, bring it back): `sku` names it."""

    sku: str


@dataclass(frozen=True)
class ArchiveLocation:
    """Archive a location (or, with `unarchive_location`, bring it back): `code` names it."""

    code: str


@dataclass(frozen=True)
class UpdateLocation:
    """Change a location; None leaves a field as it is, `address` changes the parts it names."""

    code: str
    name: str | None = None
    sellable: bool | None = None
    allow_negative: bool | None = None
    address: Mapping[str, str | None] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", _frozen(self.address))


@dataclass(frozen=True)
class SetLocationRouting:
    """How orders are routed to a site and its bins walked; None leaves a value as it is.
    `zones` is text like "US-NY,US-NJ,US:07" ("" clears them)."""

    code: str
    priority: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    zones: str | None = None
    walk_order: int | None = None
    clear_coordinates: bool = False
    clear_walk_order: bool = False


@dataclass(frozen=True)
class CreateLot:
    sku: str
    code: str
    expiry_date: date | None = None
    production_date: date | None = None


@dataclass(frozen=True)
class SetLotStatus:
    """Release, quarantine, recall … a lot (`status` as its name)."""

    sku: str
    code: str
    status: str


@dataclass(frozen=True)
class UpdateCompany:
    """The company's settings; None leaves a setting as it is."""

    name: str | None = None
    timezone: str | None = None
    currency: str | None = None
    min_remaining_shelf_life_days: int | None = None
    over_receipt_tolerance_pct: Decimal | None = None
    # A new time zone moves the business day of every posting already made (journals, expiry):
    # once there are postings it is made only when confirmed.
    confirm_timezone_change: bool = False
    auto_assign_serials: bool | None = None
