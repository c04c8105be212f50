"""`onhand export items|locations|stock|movements|orders [--output FILE]`: CSV to stdout or
a file, written as it is read. Items and locations come out in their imports' columns."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from onhand import services
from onhand.entrypoints.cli.listing import IncludeArchived, UpdatedSince
from onhand.entrypoints.cli.session import onhand
from onhand.services.reports.stock import StockGrouping

export_app = typer.Typer(
    help="Export CSV: items, locations, stock levels, movements, orders (to stdout or --output).",
    no_args_is_help=True,
)

Output = Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False,
                                             help="Write to this file instead of stdout.")]
Sku = Annotated[str | None, typer.Option(help="Only this SKU.")]
Place = Annotated[str | None, typer.Option(help="Only this location (its bins included).")]
Lot = Annotated[str | None, typer.Option(help="Only this lot.")]


def write(chunks: Iterator[str], output: Path | None) -> None:
    """The export's pieces to `output` (written whole or not at all) or to stdout."""
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    partial = output.with_name(output.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as file:
        for chunk in chunks:
            file.write(chunk)
    partial.replace(output)


@export_app.command("items")
def export_items(
    ctx: typer.Context, output: Output = None,
    search: Annotated[str | None, typer.Option(help="Part of a SKU or name.")] = None,
    include_archived: IncludeArchived = False,
) -> None:
    """Items (sku, name, unit, tracking, gtin, shelf_life_days): `onhand import items` reads them back."""
    write(services.exports.export_items(onhand(ctx), search=search, include_archived=include_archived), output)


@export_app.command("locations")
def export_locations(ctx: typer.Context, output: Output = None, include_archived: IncludeArchived = False) -> None:
    """Internal locations in the import's columns: `onhand import locations` reads them back."""
    write(services.exports.export_locations(onhand(ctx), include_archived=include_archived), output)


@export_app.command("stock")
def export_stock(
    ctx: typer.Context, output: Output = None, sku: Sku = None, location: Place = None, lot: Lot = None,
    group_by: Annotated[StockGrouping, typer.Option(help="item, location, bin, lot or balance.")] = StockGrouping.ITEM,
) -> None:
    """Stock levels: on hand, reserved, available, in transit, incoming."""
    write(services.exports.export_stock(onhand(ctx), sku=sku, location=location, lot=lot, group_by=group_by),
          output)


@export_app.command("movements")
def export_movements(
    ctx: typer.Context, output: Output = None, sku: Sku = None, location: Place = None, lot: Lot = None,
) -> None:
    """Every move, newest first."""
    write(services.exports.export_movements(onhand(ctx), sku=sku, location=location, lot=lot), output)


@export_app.command("orders")
def export_orders(
    ctx: typer.Context, output: Output = None,
    status: Annotated[str | None, typer.Option(help="open, backordered, allocated, partially_shipped, "
                                                    "shipped or cancelled.")] = None,
    channel: Annotated[str | None, typer.Option(help="Only this sales channel.")] = None,
    updated_since: UpdatedSince = None,
) -> None:
    """Sales orders, one row per line, newest first."""
    write(services.exports.export_orders(onhand(ctx), status=status, channel=channel, updated_since=updated_since),
          output)
