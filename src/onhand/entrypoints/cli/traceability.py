"""`onhand trace forward|backward`, `onhand expiring`, `onhand expired`: traces through builds, and
lots near or past their expiry.

Lots are named `SKU:LOT` (repeat `--lot` for several); a trace prints as a tree (where the lots
went, what was built from them, where they came from), or `--format json`. The recall report
(`recalls.py`) is printed with the forward trace's tree.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

import typer
from rich.tree import Tree

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.traceability.commands import LotRef
from onhand.entrypoints.cli.render import console, local, quantity, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.reports.expiry import ExpiringStock
from onhand.services.traceability.views import BackwardTrace, ForwardTrace, RecallReport

trace_app = typer.Typer(help="Trace lots forward (who received them) and backward (where they came from).",
                        no_args_is_help=True)

LotsOption = Annotated[list[str], typer.Option("--lot", help="SKU:LOT of a lot or serial; repeat for several.")]
SupplierLotOption = Annotated[str | None, typer.Option(help="The supplier's batch number instead of --lot.")]
FormatOption = Annotated[str, typer.Option("--format", help="tree, json or csv.")]


def lot_refs(values: list[str]) -> list[LotRef]:
    refs = []
    for index, value in enumerate(values):
        sku, sep, code = value.rpartition(":")
        if not sep or not sku or not code:
            raise InvalidInput(f"lot[{index}]", f"{value!r} is not SKU:LOT")
        refs.append(LotRef(sku, code))
    return refs


def as_json(value: Any) -> str:
    return json.dumps(dataclasses.asdict(value), indent=2, default=str, ensure_ascii=False)


# --- traces ----------------------------------------------------------------------------


def _holds(holds: tuple[Any, ...]) -> str:
    return ", ".join(f"{h.quantity} of {h.sku}/{h.lot}" for h in holds)


def forward_tree(trace: ForwardTrace, report: RecallReport | None = None) -> Tree:
    names = ", ".join(f"{o.sku}/{o.lot}" for o in trace.origins)
    root = Tree(f"[bold]{'Recall report' if report else 'Forward trace'}: {names}[/bold]")
    if report is not None:
        who = root.add(f"Customers ({len({(c.customer_code, c.customer) for c in report.customers})})")
        for c in report.customers:
            inside = f" (inside products: {c.inside_products})" if c.inside_products else ""
            who.add(text(f"{c.customer or '-'} {c.customer_code or ''} {c.email or ''}: {c.total} of "
                         f"{c.sku}/{c.lot}{inside}; orders {', '.join(c.orders)}; "
                         f"{local(c.first_shipped):%Y-%m-%d}–{local(c.last_shipped):%Y-%m-%d}"))
    shipped = root.add(f"Shipments and returns ({len(trace.deliveries)})")
    for d in trace.deliveries:
        to = ", ".join(p for p in (d.ship_to.line1, d.ship_to.city, d.ship_to.country) if p)
        shipped.add(text(f"{local(d.at):%Y-%m-%d} {d.kind} {d.document} order {d.order}/{d.line_no}: "
                         f"{quantity(d.quantity, d.sku)} "
                         f"{d.sku}/{d.lot} {'to' if d.kind == 'shipment' else 'from'} {d.customer or '-'}"
                         f"{' (' + to + ')' if to else ''} — holds {_holds(d.holds)}"))
    held = root.add("Still held")
    for s in trace.stock:
        where = "in transit at" if s.in_transit else "at"
        held.add(text(f"{s.on_hand} {s.sku}/{s.lot} {where} {s.location} (reserved {s.reserved}) — holds "
                      f"{_holds(s.holds)}"))
    built = root.add("Built from it")
    for lot in trace.lots:
        if lot.depth:
            built.add(text(f"{lot.sku}/{lot.lot} (level {lot.depth}, {lot.status}): one holds {_holds(lot.holds)}"))
    books = root.add("Every unit")
    for a in trace.accounts:
        books.add(text(
            f"{a.sku}/{a.lot}: received {a.received} + found {a.found} = customers {a.with_customers} + on hand "
            f"{a.on_hand} + in transit {a.in_transit} + into builds {a.consumed} + scrapped {a.scrapped} + "
            f"lost {a.lost} + back to supplier {a.returned_to_supplier}; inside products: customers "
            f"{a.inside_products_with_customers}, on hand {a.inside_products_on_hand}, in transit "
            f"{a.inside_products_in_transit}, scrapped or lost {a.inside_products_scrapped}"))
    return root


def backward_tree(trace: BackwardTrace) -> Tree:
    root = Tree(f"[bold]Backward trace: {trace.start}[/bold]")
    lots = root.add("Lots")
    for lot in trace.lots:
        lots.add(text(f"{'  ' * lot.depth}{lot.sku}/{lot.lot} (level {lot.depth}, {lot.status}"
                      f"{', supplier lot ' + lot.supplier_lot if lot.supplier_lot else ''})"))
    builds = root.add("Built from")
    for b in trace.builds:
        builds.add(text(f"{b.sku}/{b.lot} ← {b.quantity} {b.component_sku}/{b.component_lot or '-'}"))
    receipts = root.add("Receipts")
    for r in trace.receipts:
        receipts.add(text(f"{local(r.at):%Y-%m-%d} {r.receipt} on {r.purchase_order} from {r.supplier} "
                          f"({r.supplier_code})"
                          f": {quantity(r.quantity, r.sku)} {r.sku}/{r.lot}, supplier lot {r.supplier_lot or '-'}"))
    return root


def print_as(value: Any, fmt: str, tree: Any, csv: Any = None) -> None:
    if fmt == "json":
        typer.echo(as_json(value))
    elif fmt == "csv" and csv is not None:
        typer.echo(csv(value), nl=False)
    elif fmt == "tree":
        console().print(tree(value))
    else:
        raise InvalidInput("format", "must be tree or json" + (" or csv" if csv else ""))


@trace_app.command("forward")
def trace_forward(
    ctx: typer.Context, lot: LotsOption = [], supplier_lot: SupplierLotOption = None,  # noqa: B006
    fmt: FormatOption = "tree",
) -> None:
    """Where lots went: transfers, builds (and the lots built, recursively), shipments, returns."""
    trace = services.traces.trace_forward(onhand(ctx), lots=lot_refs(lot), supplier_lot=supplier_lot)
    print_as(trace, fmt, forward_tree)


@trace_app.command("backward")
def trace_backward(
    ctx: typer.Context,
    lot: Annotated[
        str | None, typer.Option(help="A lot or serial code (with --sku unless only one item has it).")
    ] = None,
    sku: Annotated[str | None, typer.Option()] = None,
    order: Annotated[str | None, typer.Option(help="A sales order.")] = None,
    line: Annotated[int | None, typer.Option(help="A line of --order.")] = None,
    shipment: Annotated[int | None, typer.Option(help="A shipment's id.")] = None,
    fmt: FormatOption = "tree",
) -> None:
    """Where a lot, a serial, a shipment, an order or an order line came from, down to the receipts."""
    trace = services.traces.trace_backward(onhand(ctx), sku=sku, lot=lot, order=order, line_no=line,
                                           shipment=shipment)
    print_as(trace, fmt, backward_tree)


# --- expiry ----------------------------------------------------------------------------


def expiry_table(rows: list[ExpiringStock], title: str) -> None:
    grid = table("SKU", "Lot", "Expiry", "Days left", "Status", "Location", "On hand", "Reserved", title=title,
                 numeric=("Days left", "On hand", "Reserved"))
    for r in rows:
        days = text(r.days_left)
        if r.expired:
            days.stylize("red")
        grid.add_row(text(r.sku), text(r.lot), text(r.expiry_date), days, text(r.status), text(r.location),
                     text(r.on_hand), text(r.reserved))
    console().print(grid)


def expiring(
    ctx: typer.Context, days: Annotated[int, typer.Option(help="Expiring within this many days (0-3650).")] = 30
) -> None:
    """Stock of lots expiring soon, and of expired lots still on hand."""
    expiry_table(services.expiry.expiring_stock(onhand(ctx), days=days), f"Expiring within {days} days")


def expired(ctx: typer.Context) -> None:
    """Stock of expired lots still on hand."""
    expiry_table(services.expiry.expired_stock(onhand(ctx)), "Expired, still on hand")
