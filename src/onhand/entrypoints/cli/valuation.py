"""`onhand valuation costing|item-costing|costing-changes|report|posting|open|unvalued`: methods and values."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.valuation.commands import SetCompanyCostingMethod, SetItemCostingMethod, SetPriceDifferences
from onhand.entrypoints.cli import opening_valuation
from onhand.entrypoints.cli.render import (
    amount,
    console,
    fields,
    measure,
    per_unit,
    quantity,
    table,
    text,
    unit_total,
)
from onhand.entrypoints.cli.session import onhand

valuation_app = typer.Typer(help="Costing methods (FIFO, LIFO, moving average, by lot) and the value of stock.",
                            no_args_is_help=True)


@valuation_app.command("costing")
def costing(
    ctx: typer.Context,
    method: Annotated[str | None, typer.Option(help="fifo, lifo (US GAAP only) or moving_average (with "
                                                     "history: from now on, the stock on hand re-layered at "
                                                     "its value).")] = None,
) -> None:
    """Show the company's costing method, or choose it with --method."""
    service = onhand(ctx)
    chosen = (services.costing.set_company_costing_method(service, SetCompanyCostingMethod(method))
              if method is not None else services.costing.get_company_costing_method(service))
    console().print(text(f"Costing method: {chosen}"))


@valuation_app.command("price-differences")
def price_differences(
    ctx: typer.Context,
    set_: Annotated[str | None, typer.Option("--set", help="to_stock (the receipt's layers take the invoiced "
                                                           "cost) or variance (they keep the order's; the "
                                                           "difference to the purchase price variance account).")]
    = None,
) -> None:
    """Where a receipt's difference from its order's unit cost goes; change it with --set."""
    service = onhand(ctx)
    chosen = (services.price_differences.set_price_differences(service, SetPriceDifferences(set_))
              if set_ is not None else services.price_differences.get_price_differences(service))
    console().print(text(f"Purchase price differences: {chosen}"))


@valuation_app.command("item-costing")
def item_costing(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The item.")],
    method: Annotated[
        str | None, typer.Option(help="fifo, lifo, moving_average or specific_lot (lot-tracked items).")
    ] = None,
    company: Annotated[bool, typer.Option("--company", help="Follow the company's method again.")] = False,
) -> None:
    """Show an item's costing method, give it its own (--method) or drop it (--company)."""
    service = onhand(ctx)
    if method is not None or company:
        found = services.costing.set_item_costing_method(service, SetItemCostingMethod(
            sku=sku, method=None if company else method))
    else:
        found = services.costing.get_item_costing(service, sku)
    console().print(fields([("SKU", found.sku), ("Method", found.method), ("Own method", found.own_method or "-")],
                           title="Costing"))


@valuation_app.command("costing-changes")
def costing_changes(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option(help="Only the company's changes and this item's.")] = None,
) -> None:
    """The history of changes of costing method, oldest first."""
    found = services.costing.costing_changes(onhand(ctx), sku=sku)
    grid = table("#", "Effective", "Scope", "From", "To", title="Costing method changes", numeric=["#"])
    for change in found:
        grid.add_row(text(change.id), text(change.effective_at), text(change.sku or "(company)"),
                     text(change.previous or "(company's)"), text(change.method or "(company's)"))
    console().print(grid)


@valuation_app.command("report")
def report(
    ctx: typer.Context,
    group_by: Annotated[str, typer.Option(help="item, location or lot.")] = "item",
    at: Annotated[str | None, typer.Option(help="A past moment, ISO 8601 (without an offset, or a bare date, "
                                                "in the company's time zone). Default: now.")] = None,
    aging: Annotated[bool, typer.Option("--aging", help="Also show aging buckets (days since the units "
                                                        "came in).")] = False,
) -> None:
    """Quantity and value of the stock now or at a past moment (exact to 10⁻⁶, in the company's currency)."""
    found = services.valuation_reports.valuation_report(onhand(ctx), at=at, group_by=group_by)
    title = "Valuation" if at is None else f"Valuation at {text(found.at)}"
    grid = table("SKU", "Location", "Lot", "Quantity", f"Value ({found.currency})",
                 title=title, numeric=["Quantity", f"Value ({found.currency})"])
    for line in found.lines:
        grid.add_row(text(line.sku), text(line.location or "-"), text(line.lot or "-"),
                     measure(line.quantity, line.sku), amount(line.value, found.currency))
    # Quantities summed per unit of measure (a kg and an each are no one number).
    grid.add_row(text("Total"), text(""), text(""), unit_total((line.sku, line.quantity) for line in found.lines),
                 amount(found.total_value, found.currency))
    console().print(grid)
    if found.unvalued:
        console().print(text(f"warning: {len(found.unvalued)} place(s) hold stock without cost layers "
                             "(it predates valuation); see `onhand valuation unvalued`, value it with "
                             "`onhand valuation open`"))
    if aging:
        buckets = table("Days", "Quantity", f"Value ({found.currency})", title="Aging",
                        numeric=["Quantity", f"Value ({found.currency})"])
        # A bucket's quantity sums every item's: left out when they differ in unit.
        mixed = len(per_unit((line.sku, line.quantity) for line in found.lines)) > 1
        for bucket in found.aging:
            buckets.add_row(text(bucket.bucket), text("" if mixed else quantity(bucket.quantity)),
                            amount(bucket.value, found.currency))
        console().print(buckets)


@valuation_app.command("posting")
def posting(
    ctx: typer.Context,
    posting_id: Annotated[int, typer.Argument(help="The posting's id.")],
) -> None:
    """What each move of a posting was worth."""
    found = services.valuation_reports.move_values(onhand(ctx), posting_id)
    grid = table("Move", "SKU", "Lot", "From", "To", "Quantity", "Role", f"Value ({found.currency})", "Basis",
                 title=f"Posting {posting_id}", key="moves", numeric=["Move", "Quantity", f"Value ({found.currency})"])
    for move in found.moves:
        grid.add_row(text(move.move_id), text(move.sku), text(move.lot or "-"), text(move.source),
                     text(move.destination), measure(move.quantity, move.sku), text(move.role),
                     amount(move.value, found.currency),
                     text(move.basis))
    console().print(grid)


valuation_app.command("open")(opening_valuation.value_opening_stock)
valuation_app.command("unvalued")(opening_valuation.unvalued)
