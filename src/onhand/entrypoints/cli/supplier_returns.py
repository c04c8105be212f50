"""`onhand purchase-orders return` and `… returns`: received units sent back to the supplier.

Lines are `--line LINE:QTY[:LOT[:LOCATION]]`: an order line, how many, and optionally
the lot (or serial) and the location it was received at.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.purchasing.commands import ReturnToSupplier, SupplierReturnLine, parse_supplier_return_line
from onhand.entrypoints.cli.order_options import IdempotencyKey
from onhand.entrypoints.cli.render import console, measure, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.purchasing.views import SupplierReturnView

Reference = Annotated[str, typer.Argument(help="The purchase order's reference, e.g. PO-000001.")]


def return_lines(values: list[str] | None) -> list[SupplierReturnLine]:
    lines = []
    for value in values or []:
        parts = value.split(":")
        if not 2 <= len(parts) <= 4 or not parts[0].strip().isdigit() or not parts[1].strip():
            raise typer.BadParameter(f"{value!r} is not LINE_NO:QTY[:LOT[:LOCATION]]", param_hint="'--line'")
        parts += [""] * (4 - len(parts))
        lines.append(parse_supplier_return_line(f"lines[{len(lines)}]", line_no=int(parts[0]), quantity=parts[1],
                                                lot=parts[2] or None, location=parts[3] or None))
    if not lines:
        raise typer.BadParameter("give at least one --line", param_hint="'--line'")
    return lines


def return_to_supplier(
    ctx: typer.Context, reference: Reference,
    line: Annotated[list[str] | None, typer.Option(
        "--line", metavar="LINE_NO:QTY[:LOT[:LOCATION]]",
        help="Units of an order line to send back, from a lot and location as received; repeat for several.",
    )] = None,
    authorisation: Annotated[str | None, typer.Option(help="The supplier's return authorisation (RMA).")] = None,
    note: Annotated[str | None, typer.Option(help="A free-text note.")] = None,
    return_reference: Annotated[str | None, typer.Option("--reference",
                                                         help="Your own reference (default RTS-000001).")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Send received units back to the supplier: one posting, free stock only, all lines or none."""
    print_supplier_return(services.supplier_returns.return_to_supplier(
        onhand(ctx), ReturnToSupplier(reference, lines=return_lines(line), authorisation=authorisation, note=note,
        return_reference=return_reference), idempotency_key=idempotency_key,
    ))


def list_supplier_returns(ctx: typer.Context, reference: Reference) -> None:
    """Show every return to supplier of a purchase order, oldest first."""
    for view in services.supplier_returns.list_supplier_returns(onhand(ctx), reference):
        print_supplier_return(view)


def print_supplier_return(view: SupplierReturnView) -> None:
    out = console()
    rma = f", authorisation {view.authorisation}" if view.authorisation else ""
    out.print(Text(
        f"Return {view.reference} to {view.supplier} against {view.purchase_order}{rma}, posting "
        f"#{view.posting_id}, value {view.value:f} {view.company_currency}"
    ))
    grid = table("Line", "SKU", "Location", "Lot", "Quantity", numeric=["Line", "Quantity"])
    for ln in view.lines:
        grid.add_row(text(ln.line_no), text(ln.sku), text(ln.location), text(ln.lot), measure(ln.quantity, ln.sku))
    out.print(grid)
