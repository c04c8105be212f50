"""Transfer orders as Rich tables: the header, lines (with their lots), and events."""

from __future__ import annotations

from rich.text import Text

from onhand.entrypoints.cli.render import console, fields, measure, table, text, unit_total
from onhand.services.transfers.views import TransferRoute, TransferView

LINE_NUMBERS = ("Quantity", "Shipped", "Received", "Written off", "In transit", "To ship")
STATUS_STYLE = {"in_transit": "cyan", "partially_received": "yellow", "received": "green", "cancelled": "red"}


def print_transfer(transfer: TransferView) -> None:
    out = console()
    out.print(
        fields(
            [
                ("Reference", transfer.reference),
                ("Status", transfer.status),
                ("From", transfer.source),
                ("To", transfer.destination),
                ("Through", transfer.transit),
                ("Expected", transfer.expected_date),
                ("Carrier", transfer.carrier),
                ("Tracking", transfer.tracking_number),
                ("Note", transfer.note),
                ("Created", transfer.created_at),
            ],
            title=f"Transfer {transfer.reference}", key="transfer",
        )
    )
    lines = table("Line", "SKU", "Lot", *LINE_NUMBERS, title="Lines", numeric=LINE_NUMBERS)
    for line in transfer.lines:
        lines.add_row(
            text(line.line_no), text(line.sku), text(line.lot),
            *(measure(q, line.sku) for q in (line.quantity, line.shipped, line.received, line.written_off,
                                             line.in_transit, line.to_ship)),
        )
        tracked = [lot for lot in line.lots if lot.lot]
        for lot in tracked if len(tracked) > 1 or (tracked and not line.lot) else []:
            lines.add_row(
                text(""), text(""), text(f"  {lot.lot}"), text(""),
                *(measure(q, line.sku) for q in (lot.shipped, lot.received, lot.written_off, lot.in_transit)),
                text(""),
            )
    out.print(lines)
    if transfer.events:
        events = table("Event", "Kind", "Posting", "Line", "SKU", "Lot", "Location", "Quantity",
                       title="Shipments, receipts and write-offs", numeric=("Quantity",))
        for event in transfer.events:
            for line in event.lines:
                events.add_row(
                    text(event.id), text(event.kind), text(f"#{event.posting_id}"), text(line.line_no),
                    text(line.sku), text(line.lot), text(line.location), measure(line.quantity, line.sku),
                )
        out.print(events)


def print_transfers(transfers: list[TransferView]) -> None:
    grid = table("Reference", "Status", "From", "To", "Through", "Expected", "Lines", "In transit",
                 numeric=("Lines", "In transit"))
    for t in transfers:
        moving = unit_total((line.sku, line.in_transit) for line in t.lines)  # per unit when they differ
        grid.add_row(
            text(t.reference), Text(t.status, style=STATUS_STYLE.get(t.status, "")), text(t.source),
            text(t.destination), text(t.transit), text(t.expected_date), text(len(t.lines)), moving,
        )
    out = console()
    out.print(grid)
    if not transfers:
        out.print("No transfers.")


def print_routes(routes: list[TransferRoute]) -> None:
    grid = table("From", "To", "Through", "Lead time (days)", numeric=("Lead time (days)",))
    for route in routes:
        grid.add_row(text(route.source), text(route.destination), text(route.transit), text(route.lead_time_days))
    out = console()
    out.print(grid)
    if not routes:
        out.print("No routes.")
