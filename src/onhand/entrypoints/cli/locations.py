"""`onhand locations add|list|show|update|routing|archive|unarchive`: warehouses, stores, 3PLs,
bins and transit."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.catalog.commands import ArchiveLocation, CreateLocation, SetLocationRouting, UpdateLocation
from onhand.domain.catalog.locations import Location
from onhand.entrypoints.cli.listing import IncludeArchived
from onhand.entrypoints.cli.render import console, fields, table, text
from onhand.entrypoints.cli.session import onhand

locations_app = typer.Typer(
    help="Locations: internal places that hold stock and the virtual other sides of moves.",
    no_args_is_help=True,
)

Line1 = Annotated[str | None, typer.Option("--line1", help="Address line 1.")]
Line2 = Annotated[str | None, typer.Option("--line2", help="Address line 2.")]
City = Annotated[str | None, typer.Option(help="City.")]
Region = Annotated[str | None, typer.Option(help="State, province or region.")]
Postcode = Annotated[str | None, typer.Option(help="Postal code.")]
Country = Annotated[str | None, typer.Option(help="ISO 3166 alpha-2 country code, e.g. US.")]


def address(**parts: str | None) -> dict[str, str | None]:
    """Only the address parts given on the command line (the rest stay as they are)."""
    return {key: value for key, value in parts.items() if value is not None}


def print_location(location: Location, parent: str | None) -> None:
    where = location.address
    console().print(
        fields(
            [
                ("Code", location.code),
                ("Name", location.name),
                ("Kind", location.kind.value),
                ("Parent", parent),
                ("Sellable", location.sellable),
                ("Allow negative", location.allow_negative),
                ("Address line 1", where.line1),
                ("Address line 2", where.line2),
                ("City", where.city),
                ("Region", where.region),
                ("Postcode", where.postcode),
                ("Country", where.country),
                ("Routing priority", location.priority),
                ("Coordinates", f"{location.latitude}, {location.longitude}"
                 if location.latitude is not None else None),
                ("Zones", ", ".join(location.zones) or None),
                ("Walk order", location.walk_order),
                ("Archived", location.archived_at or "no"),
            ],
            title=f"Location {location.code}", key="location",
        )
    )


def parent_of(ctx: typer.Context, location: Location) -> str | None:
    if location.parent_id is None:
        return None
    everywhere = services.locations.list_locations(onhand(ctx), include_archived=True)
    return next((place.code for place in everywhere if place.id == location.parent_id), None)


@locations_app.command("add")
def add_location(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Location code, e.g. NY or NY-A-01.")],
    name: Annotated[str, typer.Option(help="Location name.")],
    kind: Annotated[str, typer.Option(help="warehouse, store, 3pl, bin or transit.")],
    parent: Annotated[str | None, typer.Option(help="Parent location code (bins only).")] = None,
    non_sellable: Annotated[
        bool, typer.Option("--non-sellable", help="Stock here is never available to sell.")
    ] = False,
    allow_negative: Annotated[
        bool, typer.Option("--allow-negative", help="Let on hand go below zero here.")
    ] = False,
    line1: Line1 = None,
    line2: Line2 = None,
    city: City = None,
    region: Region = None,
    postcode: Postcode = None,
    country: Country = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Add an internal location."""
    location = services.locations.create_location(
        onhand(ctx), CreateLocation(
            code=code, name=name, kind=kind, parent=parent, sellable=not non_sellable,
            allow_negative=allow_negative, address=address(line1=line1, line2=line2, city=city, region=region,
                                                           postcode=postcode, country=country),
        ),
        idempotency_key=idempotency_key,
    )
    print_location(location, parent_of(ctx, location))


@locations_app.command("list")
def list_locations(ctx: typer.Context, include_archived: IncludeArchived = False) -> None:
    """List every location in use (archived ones too if asked), internal and virtual."""
    found = services.locations.list_locations(onhand(ctx), include_archived=include_archived)
    codes = {location.id: location.code for location in found}
    grid = table("Code", "Name", "Kind", "Parent", "Sellable", "Negative ok", "City", "Region", "Country")
    for location in found:
        where = location.address
        grid.add_row(
            text(location.code), text(location.name), text(location.kind.value),
            text(codes.get(location.parent_id) if location.parent_id else None),
            text(location.sellable if location.is_internal else None),
            text(location.allow_negative if location.is_internal else None),
            text(where.city), text(where.region), text(where.country),
        )
    console().print(grid)


@locations_app.command("show")
def show_location(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="The location code.")]
) -> None:
    """Show one location with its address."""
    location = services.locations.get_location(onhand(ctx), code)
    print_location(location, parent_of(ctx, location))


@locations_app.command("update")
def update_location(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The location code.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    sellable: Annotated[
        bool | None, typer.Option("--sellable/--non-sellable", help="Whether stock here may be sold.")
    ] = None,
    allow_negative: Annotated[
        bool | None,
        typer.Option("--allow-negative/--no-allow-negative", help="Whether on hand may go below zero."),
    ] = None,
    line1: Line1 = None,
    line2: Line2 = None,
    city: City = None,
    region: Region = None,
    postcode: Postcode = None,
    country: Country = None,
) -> None:
    """Change a location's name, flags or address (an empty value clears an address part)."""
    location = services.locations.update_location(
        onhand(ctx), UpdateLocation(
            code=code, name=name, sellable=sellable, allow_negative=allow_negative,
            address=address(line1=line1, line2=line2, city=city, region=region, postcode=postcode, country=country),
        ),
    )
    print_location(location, parent_of(ctx, location))


@locations_app.command("routing")
def set_routing(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The location code.")],
    priority: Annotated[int | None, typer.Option(help="0-10000; routing ties go to the lower number.")] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude in degrees (with --lon).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude in degrees (with --lat).")] = None,
    zones: Annotated[
        str | None,
        typer.Option(help='Zones served first, comma-separated: US, US-CA, US:90 (postcode prefix); "" clears.'),
    ] = None,
    walk_order: Annotated[int | None, typer.Option(help="For a bin: pick lists walk bins in this order.")] = None,
    clear_coordinates: Annotated[bool, typer.Option(help="Remove the coordinates.")] = False,
    clear_walk_order: Annotated[bool, typer.Option(help="Remove the walking order.")] = False,
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Configure how orders are routed to a site, or in which order a bin is walked."""
    location = services.locations.set_location_routing(
        onhand(ctx), SetLocationRouting(
            code=code, priority=priority, latitude=lat, longitude=lon, zones=zones, walk_order=walk_order,
            clear_coordinates=clear_coordinates, clear_walk_order=clear_walk_order,
        ), idempotency_key=idempotency_key,
    )
    print_location(location, parent_of(ctx, location))


CodeArgument = Annotated[str, typer.Argument(help="The location code.")]
Key = Annotated[str | None, typer.Option(help="Makes a retried command safe.")]


@locations_app.command("archive")
def archive_location(ctx: typer.Context, code: CodeArgument, idempotency_key: Key = None) -> None:
    """Archive a location without stock or bins in use: hidden from lists, refused in new
    documents, its history kept."""
    location = services.archiving.archive_location(onhand(ctx), ArchiveLocation(code), idempotency_key=idempotency_key)
    print_location(location, parent_of(ctx, location))


@locations_app.command("unarchive")
def unarchive_location(ctx: typer.Context, code: CodeArgument, idempotency_key: Key = None) -> None:
    """Bring an archived location back into use (its parent first)."""
    location = services.archiving.unarchive_location(
        onhand(ctx), ArchiveLocation(code), idempotency_key=idempotency_key
    )
    print_location(location, parent_of(ctx, location))
