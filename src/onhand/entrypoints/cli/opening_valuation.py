"""`onhand valuation open --file costs.csv` and `onhand valuation unvalued`: stock that predates valuation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from onhand import services
from onhand.domain.valuation.commands import ValueOpeningStock
from onhand.entrypoints.cli.imports import read
from onhand.entrypoints.cli.order_options import IdempotencyKey
from onhand.entrypoints.cli.render import amount, console, measure, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.valuation.opening import OpeningValuationView, UnvaluedStock, opening_costs_from_csv


def value_opening_stock(
    ctx: typer.Context,
    file: Annotated[Path, typer.Option(
        "--file", exists=True, dir_okay=False, readable=True,
        help="CSV with columns sku, unit_cost (company currency) and optionally location, lot. "
             "Errors name lines[0] for the first row after the header.",
    )],
    reference: Annotated[str | None, typer.Option(help="Your reference, e.g. 'go-live 2026'.")] = None,
    note: Annotated[str | None, typer.Option(help="A free-text note: where the costs came from.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Give on-hand stock without cost layers (it predates valuation) opening layers at the file's unit costs."""
    lines = opening_costs_from_csv(read(file))
    print_opening_valuation(services.opening_valuation.value_opening_stock(
        onhand(ctx), ValueOpeningStock(lines=lines, reference=reference, note=note),
        idempotency_key=idempotency_key,
    ))


def unvalued(ctx: typer.Context) -> None:
    """On-hand stock its cost layers do not cover, per item and location (and lot, under specific_lot)."""
    print_unvalued(services.opening_valuation.unvalued_stock(onhand(ctx)))


def print_opening_valuation(view: OpeningValuationView) -> None:
    title = f"Opening valuation {view.id}" + (f" ({view.reference})" if view.reference else "")
    money = f"Value ({view.currency})"
    grid = table("SKU", "Location", "Lot", "Quantity", "Unit cost", money, "Variance",
                 title=title, numeric=["Quantity", "Unit cost", money, "Variance"])
    for line in view.lines:
        grid.add_row(text(line.sku), text(line.location), text(line.lot or "-"), measure(line.quantity, line.sku),
                     *(amount(v, view.currency) for v in (line.unit_cost, line.value, line.variance)))
    grid.add_row(text("Total"), text(""), text(""), text(""), text(""), amount(view.total_value, view.currency),
                 text(""))
    console().print(grid)


def print_unvalued(found: list[UnvaluedStock]) -> None:
    if not found:
        console().print(text("Every unit on hand has its cost layers."))
        return
    grid = table("SKU", "Location", "Lot", "On hand", "In layers", "Unvalued", title="Stock without cost layers",
                 numeric=["On hand", "In layers", "Unvalued"])
    for u in found:
        grid.add_row(text(u.sku), text(u.location), text(u.lot or "-"),
                     *(measure(q, u.sku) for q in (u.on_hand, u.valued, u.unvalued)))
    console().print(grid)
