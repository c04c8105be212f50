"""`onhand transfers create|update|list|show|ship|receive|write-off|close|cancel|route|routes`:
transfer orders between sites through a transit location.

New lines are repeated `--line SKU:QTY[:LOT]`. Shipments, receipts and write-offs take
repeated `--line LINE:QTY[:LOT[:LOCATION]]` (LINE: the transfer's line number; LOCATION:
a bin inside the source when shipping, inside the destination when receiving); without
any `--line` they take everything (left to ship, or in transit).
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.calendar import parse_date
from onhand.domain.transfers.commands import (
    CreateTransfer,
    NewTransferLine,
    ReceiveTransfer,
    SetTransferRoute,
    ShipTransfer,
    TransferAction,
    TransferMoveLine,
    UpdateTransfer,
    WriteOffTransit,
    parse_transfer_line,
    parse_transfer_move_line,
)
from onhand.domain.transfers.transfer_orders import LOST_IN_TRANSIT
from onhand.entrypoints.cli.listing import UpdatedSince
from onhand.entrypoints.cli.session import onhand
from onhand.entrypoints.cli.transfer_render import print_routes, print_transfer, print_transfers

transfers_app = typer.Typer(
    help="Transfer orders: stock sent between sites through transit (ship, receive, write off).",
    no_args_is_help=True,
)

Reference = Annotated[str, typer.Argument(help="The transfer's reference, e.g. TO-000001.")]
IdempotencyKey = Annotated[
    str | None, typer.Option(help="Makes a retried command safe: the same key never acts twice.")
]
NewLines = Annotated[
    list[str] | None, typer.Option("--line", metavar="SKU:QTY[:LOT]", help="One line; repeat for several.")
]
MoveLines = Annotated[
    list[str] | None,
    typer.Option("--line", metavar="LINE_NO:QTY[:LOT[:LOCATION]]", help="Part of a line; repeat. Default: all."),
]
Expected = Annotated[str | None, typer.Option("--expected", help="Expected arrival, YYYY-MM-DD.")]
Carrier = Annotated[str | None, typer.Option(help="Carrier, e.g. Maersk.")]
Tracking = Annotated[str | None, typer.Option("--tracking", help="Tracking or container number.")]
Note = Annotated[str | None, typer.Option(help="A note.")]
Transit = Annotated[
    str | None, typer.Option("--via", help="The transit location (default: the route's or the only one).")
]


def new_lines(values: list[str] | None) -> list[NewTransferLine]:
    found = []
    for value in values or []:
        parts = value.split(":")
        if not 2 <= len(parts) <= 3 or not all(part.strip() for part in parts[:2]):
            raise typer.BadParameter(f"{value!r} is not SKU:QTY[:LOT]", param_hint="'--line'")
        lot = parts[2] if len(parts) == 3 and parts[2].strip() else None
        found.append(parse_transfer_line(f"lines[{len(found)}]", sku=parts[0], quantity=parts[1], lot=lot))
    return found


def move_lines(values: list[str] | None) -> list[TransferMoveLine] | None:
    if not values:
        return None
    found = []
    for value in values:
        parts = value.split(":")
        if not 2 <= len(parts) <= 4 or not parts[0].strip().isdigit() or not parts[1].strip():
            raise typer.BadParameter(f"{value!r} is not LINE_NO:QTY[:LOT[:LOCATION]]", param_hint="'--line'")
        lot = parts[2].strip() if len(parts) > 2 and parts[2].strip() else None
        location = parts[3].strip() if len(parts) > 3 and parts[3].strip() else None
        found.append(parse_transfer_move_line(f"lines[{len(found)}]", line_no=int(parts[0]), quantity=parts[1],
                                              lot=lot, location=location))
    return found


@transfers_app.command("create")
def create_transfer(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Where the goods leave from.")],
    destination: Annotated[str, typer.Argument(help="Where they go.")],
    line: NewLines = None,
    via: Transit = None,
    reference: Annotated[str | None, typer.Option(help="Default: the next TO-000001.")] = None,
    expected: Expected = None,
    carrier: Carrier = None,
    tracking: Tracking = None,
    note: Note = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Create a draft transfer from SOURCE to DESTINATION through a transit location."""
    if not line:
        raise typer.BadParameter("give at least one --line SKU:QTY[:LOT]", param_hint="'--line'")
    print_transfer(
        services.transfer_orders.create_transfer(
            onhand(ctx), CreateTransfer(
                source=source, destination=destination, lines=new_lines(line), transit=via, reference=reference,
                expected_date=parse_date(expected, "expected_date"), carrier=carrier, tracking_number=tracking,
                note=note,
            ),
            idempotency_key=idempotency_key,
        )
    )


@transfers_app.command("update")
def update_transfer(
    ctx: typer.Context,
    reference: Reference,
    line: Annotated[
        list[str] | None, typer.Option("--line", metavar="SKU:QTY[:LOT]", help="New lines: they replace all lines.")
    ] = None,
    via: Transit = None,
    expected: Expected = None,
    carrier: Carrier = None,
    tracking: Tracking = None,
    note: Note = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Change a transfer: lines and transit while draft; expected date, carrier, tracking, note later."""
    print_transfer(
        services.transfer_orders.update_transfer(
            onhand(ctx), UpdateTransfer(
                reference, lines=new_lines(line) if line else None, transit=via,
                expected_date=parse_date(expected, "expected_date"), carrier=carrier, tracking_number=tracking,
                note=note,
            ),
            idempotency_key=idempotency_key,
        )
    )


@transfers_app.command("list")
def list_transfers(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="draft, in_transit, partially_received, received, closed or cancelled.")
    ] = None,
    location: Annotated[str | None, typer.Option(help="Only transfers from or to this location.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    updated_since: UpdatedSince = None,
) -> None:
    """List transfers, newest first."""
    print_transfers(
        services.transfer_orders.list_transfers(
            onhand(ctx), status=status, location=location, limit=limit, offset=offset, updated_since=updated_since
        )
    )


@transfers_app.command("show")
def show_transfer(ctx: typer.Context, reference: Reference) -> None:
    """Show a transfer: its lines (per lot) and its shipments, receipts and write-offs."""
    print_transfer(services.transfer_orders.get_transfer(onhand(ctx), reference))


@transfers_app.command("ship")
def ship_transfer(
    ctx: typer.Context, reference: Reference, line: MoveLines = None, idempotency_key: IdempotencyKey = None
) -> None:
    """Ship (source → transit): free stock only, lots first-expired-first-out unless named."""
    print_transfer(
        services.transit.ship_transfer(onhand(ctx), ShipTransfer(reference, lines=move_lines(line)),
            idempotency_key=idempotency_key)
    )


@transfers_app.command("receive")
def receive_transfer(
    ctx: typer.Context,
    reference: Reference,
    line: MoveLines = None,
    location: Annotated[str | None, typer.Option("--to", help="A bin inside the destination.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Receive (transit → destination): never more than was shipped, per line and lot."""
    print_transfer(
        services.transit.receive_transfer(
            onhand(ctx), ReceiveTransfer(reference, lines=move_lines(line), location=location),
                idempotency_key=idempotency_key
        )
    )


@transfers_app.command("write-off")
def write_off(
    ctx: typer.Context,
    reference: Reference,
    line: MoveLines = None,
    reason: Annotated[str, typer.Option(help="A reason code.")] = LOST_IN_TRANSIT,
    note: Note = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Write off what will never arrive (transit → adjustment, with a reason)."""
    print_transfer(
        services.transit.write_off_transit(
            onhand(ctx), WriteOffTransit(reference, lines=move_lines(line), reason=reason, note=note),
                idempotency_key=idempotency_key
        )
    )


@transfers_app.command("close")
def close_transfer(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """Finish a transfer short: what was not shipped will not be (nothing may be in transit)."""
    print_transfer(services.transfer_orders.close_transfer(onhand(ctx), TransferAction(reference),
        idempotency_key=idempotency_key))


@transfers_app.command("cancel")
def cancel_transfer(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """Cancel a transfer that has shipped nothing."""
    print_transfer(services.transfer_orders.cancel_transfer(onhand(ctx), TransferAction(reference),
        idempotency_key=idempotency_key))


@transfers_app.command("route")
def set_route(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="From here …")],
    destination: Annotated[str, typer.Argument(help="… to here …")],
    transit: Annotated[str, typer.Argument(help="… goods go through this transit location.")],
    lead_time: Annotated[
        int | None, typer.Option("--lead-time", help="Days on the way (sets the expected date).")
    ] = None,
) -> None:
    """Set the default transit location (and lead time) of transfers SOURCE → DESTINATION."""
    route = services.transfer_routes.set_transfer_route(
        onhand(ctx), SetTransferRoute(source=source, destination=destination, transit=transit, lead_time_days=lead_time)
    )
    print_routes([route])


@transfers_app.command("routes")
def list_routes(ctx: typer.Context) -> None:
    """List the routes and their transit locations."""
    print_routes(services.transfer_routes.list_transfer_routes(onhand(ctx)))
