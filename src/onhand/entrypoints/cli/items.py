"""`onhand items add|list|show|update|archive|unarchive`: the catalog of stocked items."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.catalog.commands import ArchiveItem, CreateItem, UpdateItem, given_decimal
from onhand.domain.catalog.items import Item
from onhand.entrypoints.cli.listing import IncludeArchived, UpdatedSince
from onhand.entrypoints.cli.render import console, fields, table, text
from onhand.entrypoints.cli.session import onhand

items_app = typer.Typer(help="Items (SKUs): what is stocked, in which unit, how it is tracked.",
                        no_args_is_help=True)


def print_item(item: Item) -> None:
    console().print(
        fields(
            [
                ("SKU", item.sku),
                ("Name", item.name),
                ("Unit", item.unit.code),
                ("Tracking", item.tracking.value),
                ("Kind", item.kind.value),
                ("GTIN", item.gtin),
                ("Category", item.category or "-"),
                ("Shelf life (days)", item.shelf_life_days),
                ("Min. remaining shelf life (days)", item.min_remaining_shelf_life_days
                 if item.min_remaining_shelf_life_days is not None else "company default"),
                ("Archived", item.archived_at or "no"),
            ],
            title=f"Item {item.sku}", key="item",
        )
    )


@items_app.command("add")
def add_item(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="Stock keeping unit, e.g. MUG-12OZ.")],
    name: Annotated[str, typer.Option(help="Item name.")],
    unit: Annotated[str, typer.Option(help="Unit of measure code (see `onhand units list`).")] = "each",
    tracking: Annotated[str, typer.Option(help="none, lot or serial.")] = "none",
    gtin: Annotated[str | None, typer.Option(help="GTIN-8/12/13/14 (EAN/UPC) barcode.")] = None,
    shelf_life_days: Annotated[
        int | None, typer.Option(help="Days from production to expiry, for lot-tracked items.")
    ] = None,
    kind: Annotated[
        str, typer.Option(help="stocked, bundle (a virtual kit) or assembly (built from a bill of materials).")
    ] = "stocked",
    weight_kg: Annotated[str | None, typer.Option(help="Weight of one unit in kg (landed costs).")] = None,
    category: Annotated[str | None, typer.Option(help="Category, for its own account codes in the journals.")] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Add an item to the catalog."""
    item = services.items.create_item(
        onhand(ctx), CreateItem(
            sku=sku, name=name, unit=unit, tracking=tracking, gtin=gtin, shelf_life_days=shelf_life_days,
            kind=kind, weight_kg=given_decimal(weight_kg, "weight_kg"), category=category,
        ),
        idempotency_key=idempotency_key,
    )
    print_item(item)


@items_app.command("list")
def list_items(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Option(help="Part of a SKU or name.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many items (1-1000).")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many items first.")] = 0,
    updated_since: UpdatedSince = None,
    include_archived: IncludeArchived = False,
) -> None:
    """List items in use (archived ones too if asked), optionally those matching a search."""
    found = services.items.list_items(onhand(ctx), search=search, limit=limit, offset=offset,
                                      updated_since=updated_since, include_archived=include_archived)
    grid = table("SKU", "Name", "Unit", "Tracking", "GTIN", "Shelf life", numeric=["Shelf life"])
    for item in found:
        grid.add_row(
            text(item.sku), text(item.name), text(item.unit.code), text(item.tracking.value),
            text(item.gtin), text(item.shelf_life_days),
        )
    console().print(grid)


@items_app.command("show")
def show_item(
    ctx: typer.Context, sku: Annotated[str, typer.Argument(help="The item's SKU.")]
) -> None:
    """Show one item."""
    print_item(services.items.get_item(onhand(ctx), sku))


@items_app.command("update")
def update_item(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The item's SKU.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    gtin: Annotated[str | None, typer.Option(help="New GTIN; an empty string removes it.")] = None,
    shelf_life_days: Annotated[int | None, typer.Option(help="New shelf life in days.")] = None,
    min_remaining_shelf_life_days: Annotated[
        int | None,
        typer.Option(help="Days of shelf life a lot must still have on the ship date (overrides the company's)."),
    ] = None,
    weight_kg: Annotated[str | None, typer.Option(help="Weight of one unit in kg (landed costs).")] = None,
    category: Annotated[
        str | None, typer.Option(help="Category (own account codes in the journals); an empty string removes it.")
    ] = None,
) -> None:
    """Change an item's name, GTIN, shelf life or category (unit and tracking are fixed)."""
    print_item(
        services.items.update_item(
            onhand(ctx), UpdateItem(
                sku=sku, name=name, gtin=gtin, shelf_life_days=shelf_life_days,
                min_remaining_shelf_life_days=min_remaining_shelf_life_days,
                weight_kg=given_decimal(weight_kg, "weight_kg"), category=category,
            ),
        )
    )


SkuArgument = Annotated[str, typer.Argument(help="The item's SKU.")]
Key = Annotated[str | None, typer.Option(help="Makes a retried command safe.")]


@items_app.command("archive")
def archive_item(ctx: typer.Context, sku: SkuArgument, idempotency_key: Key = None) -> None:
    """Archive an item without stock on hand: hidden from lists, refused in new documents,
    its history kept."""
    print_item(services.archiving.archive_item(onhand(ctx), ArchiveItem(sku), idempotency_key=idempotency_key))


@items_app.command("unarchive")
def unarchive_item(ctx: typer.Context, sku: SkuArgument, idempotency_key: Key = None) -> None:
    """Bring an archived item back into use."""
    print_item(services.archiving.unarchive_item(onhand(ctx), ArchiveItem(sku), idempotency_key=idempotency_key))
