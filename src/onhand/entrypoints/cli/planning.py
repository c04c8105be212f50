"""`onhand planning ...`: reorder rules, demand, projected stock, suggestions (and the
drafts made from them), alerts. A SITE is a warehouse, store or 3PL (its bins roll up)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.planning.commands import (
    DEFAULT_EXPIRY_DAYS,
    DEFAULT_WINDOW_DAYS,
    CreateSuggestedDocuments,
    RemoveReorderRule,
    ScanAlerts,
    SetReorderRule,
)
from onhand.domain.planning.views import Alert, ReorderRuleView
from onhand.domain.quantities import optional_decimal
from onhand.entrypoints.cli.cycle_counts import abc
from onhand.entrypoints.cli.render import amount, console, measure, table, text
from onhand.entrypoints.cli.session import onhand

planning_app = typer.Typer(
    help="Replenishment: reorder rules, demand, projected stock, purchase and transfer suggestions, alerts.",
    no_args_is_help=True,
)
planning_app.command("abc")(abc)

Sku = Annotated[str, typer.Argument(help="The item's SKU.")]
Site = Annotated[str, typer.Argument(help="A warehouse, store or 3PL (its bins roll up).")]
Number = Annotated[str | None, typer.Option()]
Skus = Annotated[list[str] | None, typer.Option("--sku", help="Only this item; repeat for several.")]
IdempotencyKey = Annotated[
    str | None, typer.Option(help="Makes a retried command safe: the same key never acts twice.")
]


def _rules(rules: list[ReorderRuleView]) -> None:
    grid = table("SKU", "Site", "Min", "Max", "Lot size", "Safety", "Service", "Supplier", "Lead", "MOQ", "Multiple",
                 "Window", numeric=["Min", "Max", "Lot size", "Safety", "Service", "Lead", "MOQ", "Multiple", "Window"])
    for r in rules:
        grid.add_row(*(text(v) for v in (
            r.sku, r.site, r.minimum, r.maximum, r.reorder_quantity, r.safety_stock, r.service_level, r.supplier,
            r.lead_time_days, r.min_order_quantity, r.order_multiple, r.demand_window_days)))
    console().print(grid)


@planning_app.command("rules")
def list_rules(ctx: typer.Context, sku: Annotated[str | None, typer.Option(help="Only this item.")] = None) -> None:
    """List reorder rules."""
    _rules(services.reorder_rules.list_reorder_rules(onhand(ctx), sku=sku))


@planning_app.command("set-rule")
def set_rule(
    ctx: typer.Context,
    sku: Sku,
    site: Site,
    minimum: Annotated[str | None, typer.Option("--min", help="Reorder point. Default: lead-time demand + safety.")]
    = None,
    maximum: Annotated[str | None, typer.Option("--max", help="Order up to this (min/max).")] = None,
    reorder_quantity: Annotated[str | None, typer.Option("--lot-size", help="Or order in lots of this.")] = None,
    safety_stock: Annotated[str | None, typer.Option("--safety-stock")] = None,
    service_level: Annotated[str | None, typer.Option(help="0.5-0.9999: safety stock z × σ × √lead time.")] = None,
    supplier: Annotated[str | None, typer.Option(help="Preferred supplier (default: the cheapest price).")] = None,
    lead_time: Annotated[int | None, typer.Option(help="Days (default: the supplier's).")] = None,
    moq: Annotated[str | None, typer.Option(help="Minimum order quantity (default: the supplier price's).")] = None,
    multiple: Annotated[str | None, typer.Option(help="Order multiple (default: the supplier's pack size).")] = None,
    window: Annotated[int, typer.Option(help="Days of history demand is read from.")] = DEFAULT_WINDOW_DAYS,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Create or replace the reorder rule of SKU at SITE."""
    command = SetReorderRule(
        sku=sku, site=site, minimum=optional_decimal(minimum, "minimum"), maximum=optional_decimal(maximum, "maximum"),
        reorder_quantity=optional_decimal(reorder_quantity, "reorder_quantity"),
        safety_stock=optional_decimal(safety_stock, "safety_stock"),
        service_level=optional_decimal(service_level, "service_level"), supplier=supplier, lead_time_days=lead_time,
        min_order_quantity=optional_decimal(moq, "min_order_quantity"),
        order_multiple=optional_decimal(multiple, "order_multiple"), demand_window_days=window,
    )
    _rules([services.reorder_rules.set_reorder_rule(onhand(ctx), command, idempotency_key=idempotency_key)])


@planning_app.command("remove-rule")
def remove_rule(ctx: typer.Context, sku: Sku, site: Site) -> None:
    """Remove the reorder rule of SKU at SITE."""
    services.reorder_rules.remove_reorder_rule(onhand(ctx), RemoveReorderRule(sku=sku, site=site))
    console().print(Text(f"Removed the rule of {sku} at {site}."))


@planning_app.command("demand")
def demand(
    ctx: typer.Context,
    sku: Annotated[str | None, typer.Option(help="Only this item.")] = None,
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    window: Annotated[int, typer.Option(help="The last this many whole days.")] = DEFAULT_WINDOW_DAYS,
    method: Annotated[str, typer.Option(
        "--method", help="moving_average, or exponential_smoothing (needs onhand[forecast]).")] = "moving_average",
) -> None:
    """Average daily demand and its deviation per item and site (shipments less returns), the
    method's forecast a day, and its mean absolute error (MAE) on the window's last days held
    back, beside the moving average's."""
    grid = table("SKU", "Site", "Days", "Total", "Per day", "Deviation", "From assemblies", "Method",
                 "Forecast per day", "Held back", "MAE", "Moving average MAE",
                 numeric=["Days", "Total", "Per day", "Deviation", "From assemblies", "Forecast per day", "Held back",
                          "MAE", "Moving average MAE"])
    for row in services.forecasts.demand_history(onhand(ctx), sku=sku, site_code=site, window_days=window,
                                                 demand_method=method):
        grid.add_row(*(text(v) for v in (row.sku, row.site, row.window_days, row.total, row.average_daily,
                                         row.deviation, row.from_assemblies, row.demand_method, row.forecast_daily,
                                         row.held_back_days, row.mean_absolute_error,
                                         row.moving_average_mean_absolute_error)))
    console().print(grid)


@planning_app.command("projection")
def projection(
    ctx: typer.Context, sku: Sku, site: Site,
    days: Annotated[int, typer.Option(help="Days from today.")] = 30,
) -> None:
    """Projected stock by day (available to promise) of SKU at SITE."""
    view = services.forecasts.projected_stock(onhand(ctx), sku=sku, site_code=site, days=days)
    out = console()
    out.print(Text(f"{view.sku} at {view.site}: on hand {view.on_hand}, position {view.position}, "
                   f"minimum {view.minimum if view.minimum is not None else '-'}, "
                   f"demand {view.average_daily_demand}/day"))
    out.print(Text(f"First below minimum: {view.first_below_minimum or '-'}; first stock-out: "
                   f"{view.first_stock_out or '-'}"))
    grid = table("Day", "In", "Out", "Available", "Expected", numeric=["In", "Out", "Available", "Expected"])
    for d in view.days:
        grid.add_row(*(text(v) for v in (d.day, d.incoming, d.outgoing, d.available, d.expected)))
    out.print(grid)


@planning_app.command("suggestions")
def suggestions(ctx: typer.Context, sku: Skus = None) -> None:
    """Today's purchase suggestions (by supplier) and transfer suggestions, explained."""
    made = services.suggestions.suggest(onhand(ctx), skus=tuple(sku or ()))
    out = console()
    for group in made.purchases:
        title = f"Buy from {group.supplier or '(no supplier)'}"
        if group.total_cost is not None:
            title += f": {amount(group.total_cost, group.currency)} {group.currency or ''}".rstrip()
        grid = table("SKU", "Site", "Quantity", "Unit cost", "Cost", "Arrives", "Reason", title=title,
                     numeric=["Quantity", "Unit cost", "Cost"])
        for ln in group.lines:
            grid.add_row(text(ln.sku), text(ln.site), measure(ln.quantity, ln.sku),
                         amount(ln.unit_cost, group.currency), amount(ln.cost, group.currency),
                         text(ln.expected_date), text(ln.reason))
        out.print(grid)
    if made.transfers:
        grid = table("SKU", "From", "To", "Quantity", "Reason", title="Transfer", numeric=["Quantity"])
        for t in made.transfers:
            grid.add_row(text(t.sku), text(t.source), text(t.destination), measure(t.quantity, t.sku), text(t.reason))
        out.print(grid)
    if not made.purchases and not made.transfers:
        out.print(Text(f"Nothing to buy or move on {made.day.isoformat()}."))


@planning_app.command("create-documents")
def create_documents(ctx: typer.Context, sku: Skus = None, idempotency_key: IdempotencyKey = None) -> None:
    """Turn today's suggestions into draft purchase orders and transfers."""
    made = services.suggested_documents.create_suggested_documents(
        onhand(ctx), CreateSuggestedDocuments(skus=tuple(sku or ())), idempotency_key=idempotency_key)
    out = console()
    for reference in made.purchase_orders:
        out.print(Text(f"Draft purchase order {reference}"))
    for reference in made.transfers:
        out.print(Text(f"Draft transfer {reference}"))
    for reason in made.skipped:
        out.print(Text(f"Skipped: {reason}"))


def _alerts(alerts: tuple[Alert, ...] | list[Alert], title: str | None = None) -> None:
    grid = table("Kind", "SKU", "Site", "Lot", "Quantity", "Day", "Message", title=title, numeric=["Quantity"])
    for a in alerts:
        grid.add_row(*(text(v) for v in (a.kind, a.sku, a.site, a.lot, a.quantity, a.day, a.message)))
    console().print(grid)


@planning_app.command("alerts")
def alerts(ctx: typer.Context,
           kind: Annotated[str | None, typer.Option(help="low_stock, stock_out, expiring_lot or backorder.")] = None,
           ) -> None:
    """Alerts open now (as the last scan left them)."""
    _alerts(services.planning_alerts.list_alerts(onhand(ctx), kind=kind))


@planning_app.command("scan-alerts")
def scan_alerts(
    ctx: typer.Context,
    expiry_days: Annotated[int, typer.Option(help="Lots expiring within this many days.")] = DEFAULT_EXPIRY_DAYS,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Raise the alerts that became true and clear those that no longer are (events on the feed)."""
    scan = services.planning_alerts.scan_alerts(onhand(ctx), ScanAlerts(expiry_days=expiry_days),
                                                idempotency_key=idempotency_key)
    _alerts(scan.raised, title=f"Raised {len(scan.raised)}, cleared {len(scan.cleared)}, open {scan.open}")
