"""`onhand adjust`, `onhand count`, `onhand move`: the postings a person types in.

Each takes one line as arguments (SKU QTY with --lot) and/or more with repeated
`--line SKU:QTY[:LOT[:EXPIRY]]`; all lines are posted together or not at all.
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.calendar import read_moment
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount, StockLine, parse_stock_line
from onhand.entrypoints.cli.render import print_posting
from onhand.entrypoints.cli.session import onhand

LineOption = Annotated[
    list[str] | None,
    typer.Option(
        "--line", metavar="SKU:QTY[:LOT[:EXPIRY]][@COST]",
        help="One more line; repeat for several. EXPIRY (YYYY-MM-DD) is for a new lot; "
        "@COST is the unit cost of stock found (company currency).",
    ),
]
LotOption = Annotated[str | None, typer.Option(help="Lot or serial code of the line.")]
Reference = Annotated[str | None, typer.Option(help="Your reference, e.g. a document number.")]
Note = Annotated[str | None, typer.Option(help="A free-text note.")]
EffectiveAt = Annotated[str | None, typer.Option(
    help="When it happened, if earlier than now: ISO 8601 (2026-03-01T17:00:00Z; without an offset, or a "
         "bare date, in the company's time zone). Its value goes there and later moves are re-valued.")]
IdempotencyKey = Annotated[
    str | None, typer.Option(help="Makes a retried command safe: the same key never posts twice.")
]


UnitCostOption = Annotated[
    str | None,
    typer.Option("--unit-cost", help="Unit cost of the stock found on this line (company currency)."),
]


def parse_line(value: str, field: str = "lines[0]") -> StockLine:
    text, _, cost = value.partition("@")
    parts = text.split(":")
    if not 2 <= len(parts) <= 4 or not all(part.strip() for part in parts[:2]) or ("@" in value and not cost):
        raise typer.BadParameter(f"{value!r} is not SKU:QTY[:LOT[:EXPIRY]][@COST]", param_hint="'--line'")
    sku, qty, *rest = parts
    lot = rest[0] if rest else None
    expiry = rest[1] if len(rest) > 1 else None
    return parse_stock_line(field, sku=sku, quantity=qty, lot=lot or None, expiry_date=expiry or None,
                            unit_cost=cost or None)


def collect_lines(
    sku: str | None,
    qty: str | None,
    extra: list[str] | None,
    *,
    lot: str | None = None,
    expiry: str | None = None,
    production: str | None = None,
    unit_cost: str | None = None,
) -> list[StockLine]:
    """The line given as arguments (if any) followed by every --line."""
    lines = []
    if sku is not None:
        if qty is None:
            raise typer.BadParameter("a quantity must follow the SKU", param_hint="'QTY'")
        lines.append(
            parse_stock_line("lines[0]", sku=sku, quantity=qty, lot=lot, expiry_date=expiry,
                             production_date=production, unit_cost=unit_cost)
        )
    elif lot or expiry or production or unit_cost:
        raise typer.BadParameter("--lot, --expiry, --production and --unit-cost need SKU and QTY",
                                 param_hint="'SKU'")
    lines.extend(parse_line(value, f"lines[{index}]") for index, value in enumerate(extra or [], start=len(lines)))
    if not lines:
        raise typer.BadParameter("give SKU and QTY, or at least one --line", param_hint="'SKU'")
    return lines


def adjust(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="Internal location code.")],
    reason: Annotated[str, typer.Option(help="Reason code, e.g. found, lost, damaged, opening.")],
    sku: Annotated[str | None, typer.Argument(help="SKU of the line.")] = None,
    qty: Annotated[str | None, typer.Argument(help="Signed quantity: + found, - lost.")] = None,
    lot: LotOption = None,
    expiry: Annotated[str | None, typer.Option(help="Expiry (YYYY-MM-DD) of a new lot.")] = None,
    production: Annotated[str | None, typer.Option(help="Production date of a new lot.")] = None,
    unit_cost: UnitCostOption = None,
    line: LineOption = None,
    reference: Reference = None,
    note: Note = None,
    effective_at: EffectiveAt = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Post stock found (+) or lost (-) at a location, with a reason."""
    lines = collect_lines(sku, qty, line, lot=lot, expiry=expiry, production=production, unit_cost=unit_cost)
    print_posting(
        services.adjustments.post_adjustment(
            onhand(ctx), PostAdjustment(
                location=location, lines=lines, reason=reason, reference=reference, note=note,
                effective_at=read_moment(effective_at, "effective_at"),
            ), idempotency_key=idempotency_key,
        )
    )


def count(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="Internal location code (not its bins).")],
    sku: Annotated[str | None, typer.Argument(help="SKU counted.")] = None,
    counted: Annotated[str | None, typer.Argument(help="Quantity counted.")] = None,
    lot: LotOption = None,
    unit_cost: UnitCostOption = None,
    line: LineOption = None,
    reason: Annotated[str, typer.Option(help="Reason code for the differences.")] = "count",
    reference: Reference = None,
    note: Note = None,
    effective_at: EffectiveAt = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Record a stock count: what was counted becomes on hand; differences are posted."""
    lines = collect_lines(sku, counted, line, lot=lot, unit_cost=unit_cost)
    print_posting(
        services.counts.post_stock_count(
            onhand(ctx), PostStockCount(
                location=location, lines=lines, reason=reason, reference=reference, note=note,
                effective_at=read_moment(effective_at, "effective_at"),
            ), idempotency_key=idempotency_key,
        )
    )


def move(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Internal location the stock leaves.")],
    destination: Annotated[str, typer.Argument(help="Internal location the stock arrives at.")],
    sku: Annotated[str | None, typer.Argument(help="SKU moved.")] = None,
    qty: Annotated[str | None, typer.Argument(help="Quantity moved.")] = None,
    lot: LotOption = None,
    line: LineOption = None,
    reference: Reference = None,
    note: Note = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Move stock directly between internal locations (bin to bin, site to site)."""
    lines = collect_lines(sku, qty, line, lot=lot)
    print_posting(
        services.relocations.move_stock(
            onhand(ctx), MoveStock(source=source, destination=destination, lines=lines, reference=reference,
                                   note=note), idempotency_key=idempotency_key,
        )
    )
