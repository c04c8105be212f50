"""`onhand orders pick-list|pick|pack|ship|return`: fulfilling a sales order.

Registered on `orders_app` by `orders.py`. Order lines are named by number:
`--line LINE_NO:QTY` (and `LINE_NO:QTY[:LOT]` for a return).
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import (
    ConfirmPick,
    PackOrder,
    ReceiveReturn,
    ShipOrder,
    parse_customer_return_line,
    parse_package,
    parse_pick,
    parse_ship_line,
)
from onhand.entrypoints.cli.order_options import IdempotencyKey, Reference
from onhand.entrypoints.cli.order_render import print_order, print_pick_list
from onhand.entrypoints.cli.session import onhand


def _split(value: str, metavar: str, most: int, hint: str = "'--line'") -> tuple[int, str, list[str]]:
    parts = value.split(":")
    if not 2 <= len(parts) <= most or not all(part.strip() for part in parts[:2]):
        raise typer.BadParameter(f"{value!r} is not {metavar}", param_hint=hint)
    try:
        line_no = int(parts[0])
    except ValueError:
        raise typer.BadParameter(f"{value!r}: the line number must be a whole number", param_hint=hint) from None
    return line_no, parts[1], parts[2:]


def parse_line_quantity(value: str) -> tuple[int, str]:
    """LINE_NO:QTY -> (line number, quantity)."""
    line_no, qty, _rest = _split(value, "LINE_NO:QTY", 2)
    return line_no, qty


def parse_return_line(value: str) -> tuple[int, str, str | None]:
    """LINE_NO:QTY[:LOT] -> (line number, quantity, lot)."""
    line_no, qty, rest = _split(value, "LINE_NO:QTY[:LOT]", 3)
    return line_no, qty, rest[0] if rest and rest[0].strip() else None


def parse_dimensions(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    sizes = tuple(value.lower().split("x"))
    if len(sizes) != 3 or not all(size.strip() for size in sizes):
        raise typer.BadParameter(f"{value!r} is not LxWxH, e.g. 30x20x10", param_hint="'--dims'")
    return sizes


def pick_list(ctx: typer.Context, reference: Reference) -> None:
    """What is left to pick, one table per site, bins in walking order."""
    print_pick_list(services.picking.pick_list(onhand(ctx), reference))


def pick(
    ctx: typer.Context,
    reference: Reference,
    sku: Annotated[str, typer.Argument(help="SKU picked.")],
    location: Annotated[str, typer.Argument(help="Where it was picked.")],
    qty: Annotated[str, typer.Argument(help="Quantity picked.")],
    lot: Annotated[
        str | None, typer.Option(help="Lot or serial scanned; another lot than suggested takes over its place.")
    ] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Confirm a pick."""
    confirmation = parse_pick("picks[0]", sku=sku, location=location, quantity=qty, lot=lot)
    print_order(
        services.picking.confirm_pick(onhand(ctx), ConfirmPick(reference, picks=[confirmation]),
            idempotency_key=idempotency_key)
    )


def pick_scan(
    ctx: typer.Context,
    reference: Reference,
    location: Annotated[str, typer.Argument(help="Where it was picked.")],
    barcode: Annotated[str, typer.Argument(help="The scanned GTIN or GS1 element string (item, lot, count).")],
    qty: Annotated[str | None, typer.Option(help="Quantity picked (default: the code's count, else 1).")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Confirm a pick by its scanned barcode."""
    confirmation = parse_pick("picks[0]", sku=None, location=location, quantity=qty, barcode=barcode)
    print_order(
        services.picking.confirm_pick(onhand(ctx), ConfirmPick(reference, picks=[confirmation]),
            idempotency_key=idempotency_key)
    )


def pack(
    ctx: typer.Context,
    reference: Reference,
    line: Annotated[
        list[str], typer.Option("--line", metavar="LINE_NO:QTY", help="What goes in the package; repeat.")
    ],
    carrier: Annotated[str | None, typer.Option(help="Carrier, e.g. UPS.")] = None,
    tracking: Annotated[str | None, typer.Option(help="Tracking number.")] = None,
    weight_kg: Annotated[str | None, typer.Option(help="Weight in kg, e.g. 2.5.")] = None,
    dims: Annotated[str | None, typer.Option(help="Length x width x height in cm, e.g. 30x20x10.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Put picked goods into one package."""
    contents = tuple(parse_line_quantity(value) for value in line)
    package = parse_package(
        "packages[0]", contents=contents, carrier=carrier, tracking_number=tracking, weight_kg=weight_kg,
        dimensions_cm=parse_dimensions(dims),
    )
    print_order(
        services.shipping.pack_order(onhand(ctx), PackOrder(reference, packages=[package]),
            idempotency_key=idempotency_key)
    )


def ship(
    ctx: typer.Context,
    reference: Reference,
    line: Annotated[
        list[str] | None,
        typer.Option("--line", metavar="LINE_NO:QTY",
                     help="Ship this much of a line; repeat. Default: the packed packages, else what is "
                          "picked, else everything reserved."),
    ] = None,
    serial: Annotated[
        list[str] | None,
        typer.Option("--serial", metavar="LINE_NO:SERIAL",
                     help="A serial that leaves on a --line (confirms it); repeat."),
    ] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Ship from the order's reservations (posts location -> CUSTOMER)."""
    pairs = [parse_line_quantity(value) for value in line] if line else None
    named: dict[int, list[str]] = {}
    for index, value in enumerate(serial or []):
        number, _, code = value.partition(":")
        if not number.strip().isdigit() or not code.strip():
            raise InvalidInput(f"serials[{index}]", f"{value!r} is not LINE_NO:SERIAL")
        if int(number) not in {no for no, _qty in pairs or []}:
            raise InvalidInput(f"serials[{index}]", f"line {int(number)} is not shipped: give it with --line")
        named.setdefault(int(number), []).append(code.strip())
    lines = None if pairs is None else [
        parse_ship_line(f"lines[{index}]", line_no=no, quantity=qty, serials=named.get(no, ()))
        for index, (no, qty) in enumerate(pairs)
    ]
    print_order(services.shipping.ship_order(onhand(ctx), ShipOrder(reference, lines=lines),
        idempotency_key=idempotency_key))


def receive_return(
    ctx: typer.Context,
    reference: Reference,
    location: Annotated[str, typer.Option(help="Where the goods are received (stock, or a returns bin).")],
    line: Annotated[
        list[str], typer.Option("--line", metavar="LINE_NO:QTY[:LOT]", help="What came back; repeat.")
    ],
    reason: Annotated[str, typer.Option(help="Reason code for every line.")] = "customer_return",
    condition: Annotated[str, typer.Option(help="new, opened, damaged or defective.")] = "new",
    return_reference: Annotated[str | None, typer.Option(help="RMA number (default: the next RMA-000001).")] = None,
    refund: Annotated[
        list[str] | None,
        typer.Option("--refund", metavar="LINE_NO:PRICE",
                     help="Refunded per unit of a line, in the order's currency (default: its price); repeat."),
    ] = None,
    no_refund: Annotated[bool, typer.Option("--no-refund", help="Nothing is refunded (every line at 0).")] = False,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Receive a customer return (posts CUSTOMER -> location); it reverses the revenue refunded."""
    if refund and no_refund:
        raise typer.BadParameter("give --refund or --no-refund, not both", param_hint="'--refund'")
    prices: dict[int, str] = {}
    for value in refund or []:
        line_no, price, _rest = _split(value, "LINE_NO:PRICE", 2, "'--refund'")
        prices[line_no] = price
    returned = [parse_return_line(value) for value in line]
    unknown = sorted(set(prices) - {no for no, _qty, _lot in returned})
    if unknown:
        raise typer.BadParameter(f"line {unknown[0]} is not returned (no --line for it)", param_hint="'--refund'")
    lines = [
        parse_customer_return_line(f"lines[{index}]", line_no=no, quantity=qty, reason=reason, condition=condition,
                                   lot=lot, refund_unit_price="0" if no_refund else prices.get(no))
        for index, (no, qty, lot) in enumerate(returned)
    ]
    print_order(
        services.returns.receive_return(
            onhand(ctx), ReceiveReturn(reference, location=location, lines=lines, return_reference=return_reference),
            idempotency_key=idempotency_key,
        )
    )
