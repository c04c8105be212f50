"""`onhand purchase-orders receive`, `onhand receipts show|add-cost` and `onhand scan`.

Receipt lines are `--line LINE:QTY[:LOT[:EXPIRY]]`, `--serials LINE:SN1,SN2,…` and
`--scan BARCODE` (repeatable). A scanned GS1 string may carry its FNC1 separators as the
real character, as `<GS>` or as `\\x1d`. Landed costs are
`--cost KIND:AMOUNT[:CURRENCY[:RATE[:METHOD]]]`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.calendar import read_moment
from onhand.domain.purchasing.commands import (
    AddLandedCosts,
    NewLandedCost,
    ReceiptLine,
    ReceivePurchaseOrder,
    given_decimal,
    parse_landed_cost,
    parse_receipt_line,
)
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.cli.order_options import IdempotencyKey
from onhand.entrypoints.cli.postings import EffectiveAt
from onhand.entrypoints.cli.purchasing_render import print_receipt
from onhand.entrypoints.cli.render import console, fields
from onhand.entrypoints.cli.session import onhand

receipts_app = typer.Typer(help="Receipts against purchase orders, and their landed costs.", no_args_is_help=True)

Reference = Annotated[str, typer.Argument(help="The purchase order's reference, e.g. PO-000001.")]
Costs = Annotated[list[str] | None, typer.Option(
    "--cost", metavar="KIND:AMOUNT[:CURRENCY[:RATE[:METHOD]]]",
    help="A landed cost (freight, duty, insurance, other) allocated by value (default), quantity or weight.")]


def unescape(barcode: str) -> str:
    """FNC1 as typed on a command line: `<GS>` or `\\x1d` stand for the group separator."""
    return barcode.replace("<GS>", "\x1d").replace("\\x1d", "\x1d")


def _line_no(text: str, value: str, option: str) -> int:
    if not text.strip().isdigit():
        raise typer.BadParameter(f"{value!r}: {text!r} is not a line number", param_hint=option)
    return int(text)


def receipt_lines(
    typed: list[str] | None, serials: list[str] | None, scans: list[str] | None, location: str | None
) -> list[ReceiptLine]:
    lines = []
    for value in typed or []:
        parts = value.split(":")
        if not 2 <= len(parts) <= 4:
            raise typer.BadParameter(f"{value!r} is not LINE_NO:QTY[:LOT[:EXPIRY]]", param_hint="'--line'")
        lot = parts[2] if len(parts) > 2 and parts[2].strip() else None
        expiry = parts[3] if len(parts) > 3 and parts[3].strip() else None
        lines.append(parse_receipt_line(f"lines[{len(lines)}]", line_no=_line_no(parts[0], value, "'--line'"),
                                        quantity=parts[1], lot=lot, expiry_date=expiry, location=location))
    for value in serials or []:
        number, _, codes = value.partition(":")
        if not codes.strip():
            raise typer.BadParameter(f"{value!r} is not LINE_NO:SN1,SN2,…", param_hint="'--serials'")
        lines.append(ReceiptLine(_line_no(number, value, "'--serials'"),
                                 serials=tuple(code for code in codes.split(",") if code.strip()), location=location))
    lines.extend(ReceiptLine(barcode=unescape(code), location=location) for code in scans or [])
    return lines


def invoiced_costs(lines: list[ReceiptLine], values: list[str] | None) -> list[ReceiptLine]:
    """The lines with the invoiced unit costs given as LINE_NO:COST (`--unit-cost`; the colon
    of every other line option; LINE_NO=COST is read too)."""
    costs: dict[int, str] = {}
    for value in values or []:
        number, sep, cost = value.partition(":") if ":" in value else value.partition("=")
        if not sep or not cost.strip():
            raise typer.BadParameter(f"{value!r} is not LINE_NO:COST", param_hint="'--unit-cost'")
        costs[_line_no(number, value, "'--unit-cost'")] = cost.strip()
    unknown = sorted(set(costs) - {ln.line_no for ln in lines})
    if unknown:
        raise typer.BadParameter(f"line {unknown[0]} is not received here", param_hint="'--unit-cost'")
    return [replace(ln, unit_cost=parse_decimal(costs[ln.line_no], f"lines[{i}].unit_cost"))
            if ln.line_no in costs else ln for i, ln in enumerate(lines)]


def landed_costs(values: list[str] | None) -> list[NewLandedCost]:
    costs = []
    for value in values or []:
        parts = value.split(":")
        if not 2 <= len(parts) <= 5:
            raise typer.BadParameter(f"{value!r} is not KIND:AMOUNT[:CURRENCY[:RATE[:METHOD]]]", param_hint="'--cost'")
        parts += [""] * (5 - len(parts))
        costs.append(parse_landed_cost(f"landed_costs[{len(costs)}]", kind=parts[0], amount=parts[1],
                                       currency=parts[2] or None, exchange_rate=parts[3] or None,
                                       method=parts[4] or "value"))
    return costs


def receive(
    ctx: typer.Context, reference: Reference,
    line: Annotated[list[str] | None, typer.Option("--line", metavar="LINE_NO:QTY[:LOT[:EXPIRY]]",
                                                   help="What arrived for an order line; repeat for several.")] = None,
    serials: Annotated[list[str] | None, typer.Option("--serials", metavar="LINE_NO:SN1,SN2,...",
                                                      help="Serials received for a serial-tracked line.")] = None,
    scan: Annotated[list[str] | None, typer.Option("--scan", metavar="BARCODE",
                                                   help="A scanned GTIN or GS1 code.")] = None,
    location: Annotated[str | None, typer.Option(help="A bin in the order's destination (default: the "
                                                      "destination).")] = None,
    exchange_rate: Annotated[str | None, typer.Option(help="Company currency per unit of the order's "
                                                           "(needed for a foreign currency).")] = None,
    delivery_reference: Annotated[str | None, typer.Option(help="The supplier's delivery note number.")] = None,
    unit_cost: Annotated[list[str] | None, typer.Option("--unit-cost", metavar="LINE_NO:COST",
                                                        help="The supplier's invoiced unit cost of an order line "
                                                             "when it differs from the order's (repeat).")] = None,
    cost: Costs = None, effective_at: EffectiveAt = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """Receive goods against a purchase order: one posting, all lines or none."""
    lines = invoiced_costs(receipt_lines(line, serials, scan, None), unit_cost)
    if not lines:
        raise typer.BadParameter("give at least one --line, --serials or --scan", param_hint="'--line'")
    print_receipt(services.receiving.receive_purchase_order(
        onhand(ctx), ReceivePurchaseOrder(reference, lines=lines, location=location,
            exchange_rate=given_decimal(exchange_rate, "exchange_rate"),
        delivery_reference=delivery_reference, landed_costs=landed_costs(cost),
            effective_at=read_moment(effective_at, "effective_at")),
        idempotency_key=idempotency_key))


def list_receipts(ctx: typer.Context, reference: Reference) -> None:
    """Show every receipt of a purchase order, oldest first."""
    for receipt in services.receiving.list_receipts(onhand(ctx), reference):
        print_receipt(receipt)


@receipts_app.command("show")
def show_receipt(ctx: typer.Context, receipt: Annotated[str, typer.Argument(help="e.g. GRN-000001.")]) -> None:
    """Show a receipt: its lines, landed costs and how they were allocated."""
    print_receipt(services.receiving.get_receipt(onhand(ctx), receipt))


@receipts_app.command("add-cost")
def add_cost(
    ctx: typer.Context, receipt: Annotated[str, typer.Argument(help="e.g. GRN-000001.")], cost: Costs = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Add landed costs to a receipt (a freight or duty invoice that came later)."""
    if not cost:
        raise typer.BadParameter("give at least one --cost KIND:AMOUNT", param_hint="'--cost'")
    print_receipt(services.landed_costs.add_landed_costs(
        onhand(ctx), AddLandedCosts(receipt, costs=landed_costs(cost)), idempotency_key=idempotency_key))


def scan(ctx: typer.Context, barcode: Annotated[str, typer.Argument(help="The scanned text.")]) -> None:
    """Show what a scanned barcode names: item (by GTIN), lot, expiry, serial and count."""
    found = services.scanning.scan(onhand(ctx), unescape(barcode))
    console().print(fields([
        ("SKU", found.sku), ("GTIN", found.gtin), ("Lot", found.lot), ("Expiry", found.expiry_date),
        ("Production", found.production_date), ("Serial", found.serial), ("Count", found.count),
        ("Symbology", found.symbology),
    ], title="Scan"))
    for ai, value in found.elements:
        console().print(Text(f"({ai}) {value}"))
