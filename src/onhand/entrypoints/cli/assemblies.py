"""`onhand bundles …` and `onhand boms …`: virtual kits and bills of materials.

Components are repeated `--component SKU:QTY` (per one parent, in the component's
unit); for a bill of materials `SKU:QTY:SCRAP%` adds a scrap factor. Build orders,
disassembly and genealogy are in `builds.py`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.assemblies.commands import (
    ComponentLine,
    SetBillOfMaterials,
    SetBundleComponents,
    parse_component_line,
)
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.cli.render import console, fields, measure, quantity, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.assemblies.views import BillOfMaterials, KitAvailability

bundles_app = typer.Typer(help="Bundles (virtual kits): components and availability.", no_args_is_help=True)
boms_app = typer.Typer(help="Bills of materials: what a built item consumes; how many can be built.",
                       no_args_is_help=True)

ComponentOption = Annotated[
    list[str] | None, typer.Option("--component", help="SKU:QTY per one parent (BOMs: SKU:QTY[:SCRAP%]); repeat.")
]
IdempotencyKey = Annotated[str | None, typer.Option(help="Makes a retried command safe.")]
LocationOption = Annotated[str | None, typer.Option(help="Only this location (with its bins).")]


def parse_component(value: str, *, scrap: bool, field: str = "component") -> ComponentLine:
    parts = value.split(":")
    most = 3 if scrap else 2
    if not 2 <= len(parts) <= most or not all(part.strip() for part in parts):
        shape = "SKU:QTY[:SCRAP%]" if scrap else "SKU:QTY"
        raise typer.BadParameter(f"{value!r} is not {shape}", param_hint="'--component'")
    scrap_percent = parts[2] if len(parts) == 3 else "0"
    return parse_component_line(field, sku=parts[0], quantity=parts[1], scrap_percent=scrap_percent)


def print_bom(bom: BillOfMaterials) -> None:
    out = console()
    title = f"Bundle {bom.sku}" if bom.kind == "bundle" else f"Bill of materials of {bom.sku}"
    grid = table("Component", "Name", "Kind", "Quantity", "Unit", "Scrap %", title=title,
                 numeric=("Quantity", "Scrap %"))
    for c in bom.components:
        grid.add_row(text(c.sku), text(c.name), text(c.kind), measure(c.quantity, c.sku), text(c.unit),
                     text(c.scrap_percent))
    out.print(grid)
    if not bom.components:
        out.print("No components.")
    if bom.kind != "bundle":
        out.print(fields([("Labour cost per unit", bom.labour_cost), ("Overhead cost per unit", bom.overhead_cost),
                          ("Note", bom.note)]))


def print_kit(figure: KitAvailability, what: str) -> None:
    out = console()
    available = quantity(figure.available, figure.sku)
    grid = table("Location", what, title=f"{figure.sku}: {what.lower()} {available}", key="locations",
                 numeric=(what,))
    for place in figure.locations:
        grid.add_row(text(place.location), measure(place.quantity, figure.sku))
    out.print(grid)
    parts = table("Component", "Per unit", "Available", numeric=("Per unit", "Available"))
    for c in figure.components:
        parts.add_row(text(c.sku), text(c.per_unit), text(c.available))
    out.print(parts)


@bundles_app.command("set")
def set_bundle(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The bundle's SKU (an item of kind bundle).")],
    component: ComponentOption = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Give a bundle its components (replacing any it had); a component may be a bundle."""
    lines = [parse_component(value, scrap=False, field=f"components[{n}]") for n, value in enumerate(component or [])]
    command = SetBundleComponents(sku, components=tuple(lines))
    print_bom(services.bundles.set_components(onhand(ctx), command, idempotency_key=idempotency_key))


@bundles_app.command("show")
def show_bundle(ctx: typer.Context, sku: Annotated[str, typer.Argument(help="The bundle's SKU.")]) -> None:
    """Show a bundle's components."""
    print_bom(services.bundles.get_bundle(onhand(ctx), sku))


@bundles_app.command("availability")
def bundle_availability(
    ctx: typer.Context, sku: Annotated[str, typer.Argument(help="The bundle's SKU.")], location: LocationOption = None
) -> None:
    """How many of a bundle can be sold: in total and per site."""
    print_kit(services.bundles.bundle_availability(onhand(ctx), sku, location=location), "Available")


@boms_app.command("set")
def set_bom(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The built item's SKU.")],
    component: ComponentOption = None,
    labour_cost: Annotated[str, typer.Option(help="Labour cost per unit of output.")] = "0",
    overhead_cost: Annotated[str, typer.Option(help="Overhead cost per unit of output.")] = "0",
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Give an item its bill of materials (replacing any it had)."""
    lines = [parse_component(value, scrap=True, field=f"components[{n}]") for n, value in enumerate(component or [])]
    command = SetBillOfMaterials(
        sku, components=tuple(lines), labour_cost=parse_decimal(labour_cost, "labour_cost"),
        overhead_cost=parse_decimal(overhead_cost, "overhead_cost"), note=note,
    )
    print_bom(services.boms.set_bill_of_materials(onhand(ctx), command, idempotency_key=idempotency_key))


@boms_app.command("show")
def show_bom(ctx: typer.Context, sku: Annotated[str, typer.Argument(help="The built item's SKU.")]) -> None:
    """Show an item's bill of materials."""
    print_bom(services.boms.get_bill_of_materials(onhand(ctx), sku))


@boms_app.command("can-build")
def can_build(
    ctx: typer.Context, sku: Annotated[str, typer.Argument(help="The built item's SKU.")],
    location: LocationOption = None,
) -> None:
    """How many the components' free stock can make, per site (or at --location)."""
    print_kit(services.boms.can_build(onhand(ctx), sku, location=location), "Can build")
