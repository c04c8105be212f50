"""Locations: warehouses, stores, 3PLs, bins, transit and the virtual other sides."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool, StrictInt

from onhand.domain.catalog.locations import Address, Location, LocationKind
from onhand.entrypoints.api.schemas.common import Degrees, RequestModel, ResponseModel, choices

# What a location can be created as; the virtual kinds come with the database.
CREATABLE = (LocationKind.WAREHOUSE, LocationKind.STORE, LocationKind.THREE_PL, LocationKind.BIN, LocationKind.TRANSIT)

class AddressModel(RequestModel):
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2", examples=["US"])

    @classmethod
    def of(cls, address: Address) -> AddressModel:
        return cls(**address.__dict__)


class RoutingOut(ResponseModel):
    priority: int = Field(description="Routing ties go to the lower number")
    latitude: float | None
    longitude: float | None
    zones: list[str] = Field(description="Served first: US (country), US-CA (region), US:90 (postcode prefix)")
    walk_order: int | None = Field(description="Bins are picked in this order, then by code")

    @classmethod
    def of(cls, location: Location) -> RoutingOut:
        return cls(
            priority=location.priority, latitude=location.latitude, longitude=location.longitude,
            zones=list(location.zones), walk_order=location.walk_order,
        )


class LocationOut(ResponseModel):
    id: int
    code: str
    name: str
    kind: str
    internal: bool
    parent_id: int | None
    sellable: bool
    allow_negative: bool
    address: AddressModel
    routing: RoutingOut
    archived_at: datetime | None = Field(None, description="When it was archived; null: in use")

    @classmethod
    def of(cls, location: Location) -> LocationOut:
        return cls(
            id=location.id, code=location.code, name=location.name, kind=location.kind.value,
            internal=location.is_internal, parent_id=location.parent_id,
            sellable=location.sellable, allow_negative=location.allow_negative,
            address=AddressModel.of(location.address), routing=RoutingOut.of(location),
            archived_at=location.archived_at,
        )


class LocationList(ResponseModel):
    locations: list[LocationOut]


class LocationIn(RequestModel):
    code: str = Field(examples=["NY"])
    name: str
    kind: str = Field(description="warehouse, store, 3pl, bin or transit", json_schema_extra=choices(CREATABLE))
    parent: str | None = Field(None, description="Code of the containing location (bins only)")
    sellable: StrictBool = True
    allow_negative: StrictBool = False
    address: AddressModel | None = None


class LocationPatch(RequestModel):
    """Absent or null fields stay as they are; address fields given replace those stored."""

    name: str | None = None
    sellable: StrictBool | None = None
    allow_negative: StrictBool | None = None
    address: AddressModel | None = None


class RoutingPatch(RequestModel):
    """Absent fields stay as they are; `"zones": []` clears the zones, and an explicit
    null clears the coordinates (`latitude` and `longitude`) or the `walk_order`."""

    priority: StrictInt | None = Field(None, description="0-10000; ties go to the lower number")
    latitude: Degrees | None = Field(None, description="With longitude: both or neither")
    longitude: Degrees | None = None
    zones: list[str] | None = Field(None, examples=[["US-NY", "US-NJ", "US:07"]])
    walk_order: StrictInt | None = Field(None, description="0-1000000, for bins: picking order")

    def clears(self, *names: str) -> bool:
        """Whether every one of `names` was sent as an explicit null."""
        return all(name in self.model_fields_set and getattr(self, name) is None for name in names)

    def zones_text(self) -> str | None:
        """The service's comma-separated form."""
        return ",".join(self.zones) if self.zones is not None else None


def address_fields(address: AddressModel | None) -> dict[str, str | None] | None:
    return address.model_dump(exclude_unset=True) if address is not None else None
