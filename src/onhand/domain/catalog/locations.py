"""Locations: the internal places that hold stock and the virtual other sides of moves.

Internal locations (warehouse, store, 3PL, bin, transit) hold stock and must not go
negative unless configured to. Virtual locations (supplier, customer, adjustment,
production, scrap) are the other side of every entry and hold the mirror balance, so
that every item sums to zero over all locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from onhand.domain.errors import InvalidInput

LOCATION_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")


class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    THREE_PL = "3pl"
    BIN = "bin"
    TRANSIT = "transit"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    ADJUSTMENT = "adjustment"
    PRODUCTION = "production"
    SCRAP = "scrap"

    @property
    def is_internal(self) -> bool:
        return self in INTERNAL_KINDS


INTERNAL_KINDS = frozenset(
    {
        LocationKind.WAREHOUSE,
        LocationKind.STORE,
        LocationKind.THREE_PL,
        LocationKind.BIN,
        LocationKind.TRANSIT,
    }
)
# Kinds a user may create; the virtual ones exist once each, made by the first migration.
CREATABLE_KINDS = INTERNAL_KINDS
# Kinds that may contain bins.
CONTAINER_KINDS = frozenset(
    {LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL, LocationKind.BIN}
)
# Codes of the virtual locations every database has.
VIRTUAL_LOCATIONS = {
    LocationKind.SUPPLIER: "SUPPLIER",
    LocationKind.CUSTOMER: "CUSTOMER",
    LocationKind.ADJUSTMENT: "ADJUSTMENT",
    LocationKind.PRODUCTION: "PRODUCTION",
    LocationKind.SCRAP: "SCRAP",
}


@dataclass(frozen=True)
class Address:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Location:
    id: int
    code: str
    name: str
    kind: LocationKind
    parent_id: int | None = None
    # Ids from the root down to this location, itself included.
    path: tuple[int, ...] = ()
    sellable: bool = True
    allow_negative: bool = False
    address: Address = field(default_factory=Address)
    # Routing: the lower number wins a tie; coordinates and zones say what is near.
    priority: int = 100
    latitude: float | None = None
    longitude: float | None = None
    zones: tuple[str, ...] = ()
    # Picking: bins are walked in this order, then by code.
    walk_order: int | None = None
    # When it was archived: hidden from lists, refused for new documents (None: in use).
    archived_at: datetime | None = None

    @property
    def is_internal(self) -> bool:
        return self.kind.is_internal

    def is_within(self, other: Location) -> bool:
        """True when this location is `other` or one of its descendants."""
        return other.id in self.path


def validate_location_code(code: str, field: str = "code") -> str:
    code = code.strip()
    if not LOCATION_CODE_PATTERN.match(code):
        raise InvalidInput(
            field, f"{code!r} is not a valid location code (1-64 letters, digits, . _ / -)"
        )
    return code


def parse_location_kind(value: str, field: str = "kind") -> LocationKind:
    try:
        kind = LocationKind(value.strip().lower())
    except ValueError:
        kind = None
    if kind is None or kind not in CREATABLE_KINDS:
        options = ", ".join(sorted(k.value for k in CREATABLE_KINDS))
        raise InvalidInput(field, f"{value!r} is not one of {options}")
    return kind


def validate_parent(kind: LocationKind, parent: Location | None) -> None:
    """Bins live inside a warehouse, store, 3PL or another bin; sites stand alone."""
    if kind is LocationKind.BIN:
        if parent is None:
            raise InvalidInput("parent", "a bin needs a parent warehouse, store, 3PL or bin")
        if parent.kind not in CONTAINER_KINDS:
            raise InvalidInput(
                "parent", f"a bin cannot be inside {parent.code!r} (a {parent.kind.value})"
            )
    elif parent is not None:
        raise InvalidInput("parent", f"a {kind.value} cannot have a parent; only bins can")


ZONE_PATTERN = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3}|:[A-Z0-9]{1,10})?$")


def parse_zones(text: str | None, field: str = "zones") -> tuple[str, ...]:
    """Zones a site serves first: "US" (country), "US-CA" (region), "US:90" (postcode prefix)."""
    zones = tuple(z.strip().upper() for z in (text or "").split(",") if z.strip())
    for zone in zones:
        if not ZONE_PATTERN.match(zone):
            raise InvalidInput(field, f"{zone!r} is not a zone like US, US-CA or US:90")
    return zones


def validate_coordinates(latitude: float | None, longitude: float | None, prefix: str = "") -> None:
    """Degrees, both or neither; `prefix` names where they sit (e.g. "ship_to.")."""
    if (latitude is None) != (longitude is None):
        raise InvalidInput(f"{prefix}latitude", "give both latitude and longitude, or neither")
    if latitude is not None and not -90 <= latitude <= 90:
        raise InvalidInput(f"{prefix}latitude", "must be between -90 and 90")
    if longitude is not None and not -180 <= longitude <= 180:
        raise InvalidInput(f"{prefix}longitude", "must be between -180 and 180")


def effective_sellable(location: Location, by_id: dict[int, Location]) -> bool:
    """A location sells only if it and every ancestor are sellable and it is not transit."""
    if not location.is_internal:
        return False
    for ancestor_id in location.path:
        ancestor = by_id[ancestor_id]
        if not ancestor.sellable or ancestor.kind is LocationKind.TRANSIT:
            return False
    return True


def site_of(location: Location, by_id: dict[int, Location]) -> Location:
    """The top-level place (warehouse, store, 3PL, transit) a bin belongs to."""
    return by_id[location.path[0]] if location.path else location
