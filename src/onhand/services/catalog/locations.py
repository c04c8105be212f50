"""Locations: warehouses, stores, 3PLs, bins and transit (the virtual ones exist already)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.commands import CreateLocation, SetLocationRouting, UpdateLocation
from onhand.domain.catalog.events import SellablePlacesChanged
from onhand.domain.catalog.items import validate_name
from onhand.domain.catalog.locations import (
    Address,
    Location,
    LocationKind,
    effective_sellable,
    parse_location_kind,
    parse_zones,
    validate_coordinates,
    validate_location_code,
    validate_parent,
)
from onhand.domain.errors import AlreadyExists, InvalidInput
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def make_address(fields: dict[str, str | None] | None) -> Address:
    fields = fields or {}
    unknown = set(fields) - set(Address.__dataclass_fields__)
    if unknown:
        raise InvalidInput(f"address.{sorted(unknown)[0]}", "is not an address field")
    clean = {key: resolve.text(value, f"address.{key}", max_length=200) for key, value in fields.items()}
    country = clean.get("country")
    if country is not None:
        if len(country) != 2 or not country.isalpha():
            raise InvalidInput("address.country", f"{country!r} is not an ISO 3166 alpha-2 code")
        clean["country"] = country.upper()
    return Address(**clean)


def new_location(
    uow: UnitOfWork,
    *,
    code: str,
    name: str,
    kind: str,
    parent: str | None = None,
    sellable: bool = True,
    allow_negative: bool = False,
    address: dict[str, str | None] | None = None,
) -> Location:
    """Validate a location (without saving it); shared with CSV import."""
    code = validate_location_code(code)
    location_kind = parse_location_kind(kind)
    parent_location = resolve.location(uow, parent, "parent") if parent and parent.strip() else None
    validate_parent(location_kind, parent_location)
    if uow.locations.get_by_code(code) is not None:
        raise AlreadyExists("location", code, "code")
    return Location(
        id=0,
        code=code,
        name=validate_name(name),
        kind=location_kind,
        parent_id=parent_location.id if parent_location else None,
        path=parent_location.path if parent_location else (),
        # Goods in transit are never sellable, whatever the flag says.
        sellable=sellable and location_kind is not LocationKind.TRANSIT,
        allow_negative=allow_negative,
        address=make_address(address),
    )


def create_location(
    ctx: ServiceContext, command: CreateLocation, *, idempotency_key: str | None = None
) -> Location:
    fields = {field.name: getattr(command, field.name) for field in dataclasses.fields(command)}
    fields["address"] = dict(command.address) if command.address is not None else None

    def work(uow: UnitOfWork) -> int:
        return uow.locations.add(new_location(uow, **fields), ctx.now()).id

    return run_write(
        ctx, work, _load, action="create_location", subject=location_subject,
        idempotency_key=idempotency_key, request=command,
    )


def update_location(
    ctx: ServiceContext, command: UpdateLocation, *, idempotency_key: str | None = None
) -> Location:
    code, name, sellable, allow_negative, address = (
        command.code, command.name, command.sellable, command.allow_negative, command.address
    )

    def work(uow: UnitOfWork) -> int:
        current = resolve.internal_location(uow, code, "code")
        changed = replace(
            current,
            name=validate_name(name) if name is not None else current.name,
            sellable=(sellable if sellable is not None else current.sellable)
            and current.kind is not LocationKind.TRANSIT,
            allow_negative=allow_negative if allow_negative is not None else current.allow_negative,
            address=make_address({**current.address.__dict__, **(address or {})}),
        )
        before = uow.locations.by_id()
        uow.locations.update(changed)
        sellability_changed(uow, before, uow.locations.by_id(), ctx.now())
        return current.id

    return run_write(
        ctx, work, _load, action="update_location", subject=location_subject,
        idempotency_key=idempotency_key, request=command, before=lambda uow: resolve.location(uow, code, "code"),
    )


def sellability_changed(
    uow: UnitOfWork, before: dict[int, Location], after: dict[int, Location], now: datetime
) -> None:
    """Tell the areas above when places stopped or started being sellable (orders give
    promises there back, or serve waiting orders from them: orders/backorders.py)."""
    closed = [i for i in after if effective_sellable(before[i], before) and not effective_sellable(after[i], after)]
    opened = [i for i in after if effective_sellable(after[i], after) and not effective_sellable(before[i], before)]
    if closed or opened:
        uow.publish(SellablePlacesChanged(tuple(closed), tuple(opened), now))


def set_location_routing(
    ctx: ServiceContext, command: SetLocationRouting, *, idempotency_key: str | None = None
) -> Location:
    """Configure how orders are routed to a site and in which order its bins are walked.

    `zones` is a comma-separated list like "US-NY,US-NJ,US:07" (see domain/orders/routing.py);
    an empty string clears it. Coordinates are given together, in degrees. A value left
    None stays as it is; `clear_coordinates` and `clear_walk_order` remove them.
    """
    code, priority, latitude, longitude, zones, walk_order = (
        command.code, command.priority, command.latitude, command.longitude, command.zones, command.walk_order
    )
    clear_coordinates, clear_walk_order = command.clear_coordinates, command.clear_walk_order
    if clear_coordinates and (latitude is not None or longitude is not None):
        raise InvalidInput("latitude", "give coordinates or clear them, not both")
    if clear_walk_order and walk_order is not None:
        raise InvalidInput("walk_order", "give a walking order or clear it, not both")
    if priority is not None and not 0 <= priority <= 10_000:
        raise InvalidInput("priority", "must be between 0 and 10000")
    if walk_order is not None and not 0 <= walk_order <= 1_000_000:
        raise InvalidInput("walk_order", "must be between 0 and 1000000")
    validate_coordinates(latitude, longitude)
    parsed_zones = parse_zones(zones) if zones is not None else None

    def work(uow: UnitOfWork) -> int:
        current = resolve.internal_location(uow, code, "code")
        uow.locations.update(
            replace(
                current,
                priority=current.priority if priority is None else priority,
                latitude=None if clear_coordinates else current.latitude if latitude is None else latitude,
                longitude=None if clear_coordinates else current.longitude if longitude is None else longitude,
                zones=current.zones if parsed_zones is None else parsed_zones,
                walk_order=None if clear_walk_order else current.walk_order if walk_order is None else walk_order,
            )
        )
        return current.id

    return run_write(
        ctx, work, _load, action="set_location_routing", subject=location_subject,
        idempotency_key=idempotency_key, request=command, before=lambda uow: resolve.location(uow, code, "code"),
    )


def _load(uow: UnitOfWork, location_id: int) -> Location:
    return next(loc for loc in uow.locations.all() if loc.id == location_id)


def location_subject(location: Location) -> AuditObject:
    return AuditObject("location", location.code)


def get_location(ctx: ServiceContext, code: str) -> Location:
    with ctx.reading() as uow:
        return resolve.location(uow, code, "code")


def list_locations(ctx: ServiceContext, *, include_archived: bool = False) -> list[Location]:
    """Every location by code, archived ones only if asked."""
    with ctx.reading() as uow:
        return [place for place in uow.locations.all() if include_archived or place.archived_at is None]
