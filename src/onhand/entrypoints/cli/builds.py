"""`onhand builds …`, `onhand disassemble` and `onhand genealogy`: making things, and tracing lots.

Component lots are repeated `--lot SKU:LOT:QTY` (a disassembly may add `:EXPIRY` for a
new lot); without them, builds consume first-expired-first-out.
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.assemblies.commands import (
    BuildOrderAction,
    BuildRun,
    ComponentLot,
    CreateBuildOrder,
    Disassemble,
    parse_component_lot,
)
from onhand.domain.calendar import parse_date, read_moment
from onhand.domain.quantities import optional_decimal, parse_decimal
from onhand.entrypoints.cli.postings import EffectiveAt
from onhand.entrypoints.cli.render import console, fields, local, measure, quantity, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.assemblies.views import BuildOrderView, BuildRunView, GenealogyLink

builds_app = typer.Typer(help="Build orders: make assemblies from their bills of materials.", no_args_is_help=True)

LotOption = Annotated[list[str] | None, typer.Option("--lot", help="SKU:LOT:QTY of a component; repeat.")]
IdempotencyKey = Annotated[str | None, typer.Option(help="Makes a retried command safe.")]
Reference = Annotated[str, typer.Argument(help="The build order's reference, e.g. BO-000001.")]


def parse_lot(value: str, field: str = "lot") -> ComponentLot:
    parts = value.split(":")
    if not 3 <= len(parts) <= 4 or not all(part.strip() for part in parts[:3]):
        raise typer.BadParameter(f"{value!r} is not SKU:LOT:QTY[:EXPIRY]", param_hint="'--lot'")
    return parse_component_lot(field, sku=parts[0], lot=parts[1], quantity=parts[2],
                               expiry_date=parts[3] if len(parts) == 4 else None)


def print_run(run: BuildRunView) -> None:
    verb = "Built" if run.kind == "build" else "Took apart"
    lot = f" lot {run.lot}" if run.lot else ""
    made = quantity(run.quantity, run.sku)
    grid = table("Component", "Lot", "Quantity", numeric=("Quantity",),
                 title=f"{verb} {made} {run.sku}{lot} at {run.location} (posting #{run.posting_id})",
                 key="run")
    for line in run.components:
        grid.add_row(text(line.sku), text(line.lot), measure(line.quantity, line.sku))
    console().print(grid)


def print_order(order: BuildOrderView) -> None:
    console().print(fields([
        ("Reference", order.reference), ("SKU", order.sku), ("Location", order.location),
        ("Status", order.status), ("Quantity", quantity(order.quantity, order.sku)),
        ("Built", quantity(order.built, order.sku)), ("Remaining", quantity(order.remaining, order.sku)),
        ("Note", order.note),
    ], title=f"Build order {order.reference}", key="build_order"))
    for run in order.runs:
        print_run(run)


@builds_app.command("create")
def create(
    ctx: typer.Context,
    sku: Annotated[str, typer.Option(help="What to build.")],
    location: Annotated[str, typer.Option(help="Where: components are taken from here and its bins.")],
    quantity: Annotated[str, typer.Option(help="How many to build.")],
    reference: Annotated[str | None, typer.Option(help="Default: the next BO-000001.")] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Plan a build (a draft)."""
    command = CreateBuildOrder(sku=sku, location=location, quantity=parse_decimal(quantity, "quantity"),
                               reference=reference, note=note)
    print_order(services.builds.create_build_order(onhand(ctx), command, idempotency_key=idempotency_key))


@builds_app.command("run")
def run(
    ctx: typer.Context,
    reference: Reference,
    quantity: Annotated[str | None, typer.Option(help="How many now (default: all that is left).")] = None,
    output_lot: Annotated[str | None, typer.Option(help="Lot or serial of the output, if tracked.")] = None,
    output_expiry: Annotated[str | None, typer.Option(help="Expiry of a new output lot, YYYY-MM-DD.")] = None,
    lot: LotOption = None,
    effective_at: EffectiveAt = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Build some or all of what is left, in one posting."""
    command = BuildRun(
        reference, quantity=optional_decimal(quantity, "quantity"), output_lot=output_lot,
        output_expiry=parse_date(output_expiry, "output_expiry"),
        component_lots=tuple(parse_lot(value, f"components[{n}]") for n, value in enumerate(lot or [])),
        effective_at=read_moment(effective_at, "effective_at"),
    )
    print_order(services.builds.build(onhand(ctx), command, idempotency_key=idempotency_key))


@builds_app.command("list")
def list_orders(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="draft, in_progress, partially_built, done, cancelled.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 100,
) -> None:
    """Build orders, newest first."""
    grid = table("Reference", "SKU", "Location", "Status", "Quantity", "Built", numeric=("Quantity", "Built"))
    for order in services.builds.list_build_orders(onhand(ctx), status=status, limit=limit):
        grid.add_row(text(order.reference), text(order.sku), text(order.location), text(order.status),
                     measure(order.quantity, order.sku), measure(order.built, order.sku))
    console().print(grid)


@builds_app.command("show")
def show(ctx: typer.Context, reference: Reference) -> None:
    """Show a build order and its runs."""
    print_order(services.builds.get_build_order(onhand(ctx), reference))


@builds_app.command("start")
def start(ctx: typer.Context, reference: Reference) -> None:
    """Release a draft (in_progress)."""
    print_order(services.builds.start_build_order(onhand(ctx), BuildOrderAction(reference)))


@builds_app.command("finish")
def finish(ctx: typer.Context, reference: Reference) -> None:
    """Close a partly built order as done."""
    print_order(services.builds.finish_build_order(onhand(ctx), BuildOrderAction(reference)))


@builds_app.command("cancel")
def cancel(ctx: typer.Context, reference: Reference) -> None:
    """Cancel an open order (what was built stays in stock)."""
    print_order(services.builds.cancel_build_order(onhand(ctx), BuildOrderAction(reference)))


def disassemble(
    ctx: typer.Context,
    sku: Annotated[str, typer.Option(help="What to take apart.")],
    location: Annotated[str, typer.Option(help="Where.")],
    quantity: Annotated[str, typer.Option(help="How many.")],
    lot: Annotated[str | None, typer.Option(help="The lot taken apart, if tracked.")] = None,
    component_lot: Annotated[
        list[str] | None, typer.Option(help="SKU:LOT:QTY[:EXPIRY] a component goes back into; repeat.")
    ] = None,
    reference: Annotated[str | None, typer.Option(help="A reference.")] = None,
    effective_at: EffectiveAt = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Take built items apart into their components (one posting)."""
    command = Disassemble(
        sku=sku, location=location, quantity=parse_decimal(quantity, "quantity"), lot=lot,
        component_lots=tuple(parse_lot(value, f"components[{n}]") for n, value in enumerate(component_lot or [])),
        reference=reference, effective_at=read_moment(effective_at, "effective_at"),
    )
    print_run(services.disassembly.disassemble(onhand(ctx), command, idempotency_key=idempotency_key))


def _links(title: str, links: tuple[GenealogyLink, ...]) -> None:
    grid = table("Level", "Built", "Build order", "Into", "Lot", "From", "Lot ", "Quantity",
                 title=title, numeric=("Level", "Quantity"))
    for ln in links:
        grid.add_row(text(ln.depth), text(local(ln.created_at).date()), text(ln.build_order), text(ln.parent_sku),
                     text(ln.parent_lot), text(ln.child_sku), text(ln.child_lot), measure(ln.quantity, ln.child_sku))
    console().print(grid)


def genealogy(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The lot-tracked item's SKU.")],
    lot: Annotated[str, typer.Argument(help="The lot.")],
    levels: Annotated[int, typer.Option(help="How many levels to walk each way (1-10).")] = 1,
) -> None:
    """What went into a lot, and which lots it went into."""
    found = services.genealogy.lot_genealogy(onhand(ctx), sku, lot, levels=levels)
    _links(f"{found.sku} lot {found.lot} was made from", found.made_from)
    _links(f"{found.sku} lot {found.lot} went into", found.used_in)
