"""`onhand stock` and `onhand history`: what is where, and how it got there."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.entrypoints.cli.listing import UpdatedSince
from onhand.entrypoints.cli.render import console, measure, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.views import StockReport

# Which identifying columns each grouping shows (the service decides what a row holds).
GROUP_COLUMNS = {
    "item": (),
    "location": ("Location",),
    "bin": ("Location",),
    "lot": ("Lot", "Expiry"),
    "balance": ("Location", "Lot", "Expiry"),
}
NUMBERS = ("On hand", "Reserved", "Available")
TRANSIT = ("In transit", "Expected")
INCOMING = ("Incoming", "Due")


def print_report(report: StockReport, group_by: str) -> None:
    columns = GROUP_COLUMNS.get(group_by, ("Location", "Lot", "Expiry"))
    # Transfer columns only when something is on its way, so a plain report stays plain.
    moving = TRANSIT if any(level.in_transit for level in report.levels) else ()
    # Purchase order columns likewise only when something is on order.
    ordered = INCOMING if any(level.incoming for level in report.levels) else ()
    grid = table("SKU", *columns, *NUMBERS, *moving, *ordered, numeric=(*NUMBERS, *moving[:1], *ordered[:1]))
    for level in report.levels:
        cells = {"Location": level.location, "Lot": level.lot, "Expiry": level.expiry_date}
        grid.add_row(
            text(level.sku),
            *(text(cells[name]) for name in columns),
            measure(level.on_hand, level.sku), measure(level.reserved, level.sku),
            measure(level.available, level.sku),
            *((measure(level.in_transit, level.sku), text(level.in_transit_expected)) if moving else ()),
            *((measure(level.incoming, level.sku), text(level.incoming_expected)) if ordered else ()),
            style="yellow" if level.negative else None,
        )
    out = console()
    out.print(grid)
    if not report.levels:
        out.print("No stock.")
    for warning in report.warnings:
        out.print(Text(f"warning: {warning}", style="yellow"))


def stock(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option(help="Only this SKU.")] = None,
    location: Annotated[str | None, typer.Option(help="Only this location (with its bins).")] = None,
    lot: Annotated[str | None, typer.Option(help="Only this lot (needs --sku).")] = None,
    group_by: Annotated[
        str, typer.Option(help="item, location (bins roll up), bin, lot or balance.")
    ] = "item",
    updated_since: UpdatedSince = None,
) -> None:
    """On hand, reserved and available over internal locations."""
    report = services.stock.stock_levels(
        onhand(ctx), sku=sku, location=location, lot=lot, group_by=group_by, updated_since=updated_since
    )
    print_report(report, group_by)


def history(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option(help="Only moves of this SKU.")] = None,
    location: Annotated[str | None, typer.Option(help="Only moves at this location (with its bins).")] = None,
    lot: Annotated[
        str | None, typer.Option(help="Only moves of this lot (without --sku: the lot of any item coded so).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many moves (1-1000).")] = 50,
    before: Annotated[
        int | None, typer.Option(help="Only moves older than this move id (to page back).")
    ] = None,
) -> None:
    """Moves, newest first."""
    moves = services.stock.movement_history(
        onhand(ctx), sku=sku, location=location, lot=lot, limit=limit, before_id=before
    )
    grid = table(
        "Move", "When", "Posting", "SKU", "Lot", "From", "To", "Quantity", "Reason", "Reference",
        numeric=("Move", "Quantity"),
    )
    for move in moves:
        grid.add_row(
            text(move.id), text(move.effective_at),
            text(f"#{move.posting_id} {move.posting_kind}"), text(move.sku), text(move.lot),
            text(move.from_location), text(move.to_location), measure(move.quantity, move.sku),
            text(move.reason), text(move.reference),
        )
    out = console()
    out.print(grid)
    if not moves:
        out.print("No moves.")
