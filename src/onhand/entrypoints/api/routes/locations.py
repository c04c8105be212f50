"""Locations: list, create, look up and change (codes may contain "/"), and routing.

`PATCH /locations/{code}/routing` is matched first, so a location whose code itself ends
in "/routing" cannot be renamed or re-flagged over HTTP (use the CLI or the services).
"""

from __future__ import annotations

from onhand import services
from onhand.domain.catalog.commands import ArchiveLocation, CreateLocation, SetLocationRouting, UpdateLocation
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import CatalogEditor, IdempotencyKey, OnhandDep, Reader
from onhand.entrypoints.api.bodies import one_read
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, IncludeArchived
from onhand.entrypoints.api.schemas.locations import (
    LocationIn,
    LocationList,
    LocationOut,
    LocationPatch,
    RoutingPatch,
    address_fields,
)

router = ApiRouter(tags=["locations"], responses=ERROR_RESPONSES)


@router.get("/locations", summary="All locations, internal and virtual (archived ones if asked)")
def list_locations(onhand: OnhandDep, _key: Reader, include_archived: IncludeArchived = False) -> LocationList:
    found = services.locations.list_locations(onhand, include_archived=include_archived)
    return LocationList(locations=[LocationOut.of(loc) for loc in found])


@router.post("/locations", status_code=201)
def create_location(
    body: LocationIn, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> LocationOut:
    location = services.locations.create_location(
        onhand, CreateLocation(
            code=body.code, name=body.name, kind=body.kind, parent=body.parent, sellable=body.sellable,
            allow_negative=body.allow_negative, address=address_fields(body.address),
        ), idempotency_key=idempotency_key,
    )
    return LocationOut.of(location)


# Declared before PATCH /locations/{code:path}, so ".../routing" is not taken for a code.
@router.patch(
    "/locations/{code:path}/routing",
    summary="Routing of a site (priority, coordinates, zones) or walking order of a bin",
)
def set_location_routing(
    code: str, body: RoutingPatch, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> LocationOut:
    location = services.locations.set_location_routing(
        onhand, SetLocationRouting(
            code=code, priority=body.priority, latitude=body.latitude, longitude=body.longitude,
            zones=body.zones_text(), walk_order=body.walk_order,
            clear_coordinates=body.clears("latitude", "longitude"), clear_walk_order=body.clears("walk_order"),
        ),
        idempotency_key=idempotency_key,
    )
    return LocationOut.of(location)


@router.post("/locations/{code:path}/archive",
             summary="Archive a location without stock or bins in use: hidden from lists, refused in new documents")
def archive_location(
    code: str, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> LocationOut:
    location = services.archiving.archive_location(onhand, ArchiveLocation(code), idempotency_key=idempotency_key)
    return LocationOut.of(location)


@router.post("/locations/{code:path}/unarchive", summary="Bring an archived location back into use")
def unarchive_location(
    code: str, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> LocationOut:
    location = services.archiving.unarchive_location(onhand, ArchiveLocation(code), idempotency_key=idempotency_key)
    return LocationOut.of(location)


@router.get("/locations/{code:location_code}")
@one_read()
def get_location(code: str, onhand: OnhandDep, _key: Reader) -> LocationOut:
    return LocationOut.of(services.locations.get_location(onhand, code))


@router.patch("/locations/{code:location_code}", summary="Change name, sellable, allow_negative or address")
def update_location(
    code: str, body: LocationPatch, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> LocationOut:
    location = services.locations.update_location(
        onhand, UpdateLocation(
            code=code, name=body.name, sellable=body.sellable, allow_negative=body.allow_negative,
            address=address_fields(body.address),
        ),
        idempotency_key=idempotency_key,
    )
    return LocationOut.of(location)
