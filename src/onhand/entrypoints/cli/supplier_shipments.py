"""`onhand purchase-orders ship|shipments|receive-shipment` and `onhand supplier-shipments
show|receive|write-off|update`: a purchase order's goods in transit (ASNs).

Shipped lines are written like receipt lines (`--line LINE:QTY[:LOT[:EXPIRY]]`,
`--serials`, `--scan`); received or written-off parts are `--line LINE:QTY[:LOT]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.calendar import parse_date
from onhand.domain.purchasing.commands import (
    ReceiveSupplierShipment,
    ShipmentMoveLine,
    ShipPurchaseOrder,
    UpdateSupplierShipment,
    WriteOffSupplierShipment,
    given_decimal,
)
from onhand.domain.purchasing.views import SupplierShipmentView
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.cli.order_options import IdempotencyKey
from onhand.entrypoints.cli.receiving import Costs, Reference, landed_costs, receipt_lines
from onhand.entrypoints.cli.render import console, measure, table, text
from onhand.entrypoints.cli.session import onhand

shipments_app = typer.Typer(help="Supplier shipments (ASNs): purchase order goods in transit.", no_args_is_help=True)

Shipment = Annotated[str, typer.Argument(help="The shipment's reference, e.g. ASN-000001.")]
Parts = Annotated[list[str] | None, typer.Option(
    "--line", metavar="LINE_NO:QTY[:LOT]", help="Part of an order line in transit; repeat. Default: everything.")]
Text100 = Annotated[str | None, typer.Option()]


def _parts(values: list[str] | None) -> list[ShipmentMoveLine]:
    parts = []
    for value in values or []:
        bits = value.split(":")
        if not 2 <= len(bits) <= 3 or not bits[0].strip().isdigit():
            raise typer.BadParameter(f"{value!r} is not LINE_NO:QTY[:LOT]", param_hint="'--line'")
        lot = bits[2] if len(bits) > 2 and bits[2].strip() else None
        field = f"lines[{len(parts)}]"
        parts.append(ShipmentMoveLine(int(bits[0]), parse_decimal(bits[1], f"{field}.quantity"), lot))
    return parts


def print_shipment(shipment: SupplierShipmentView) -> None:
    out = console()
    travel = ", ".join(f"{name} {value}" for name, value in (
        ("container", shipment.container), ("vessel", shipment.vessel), ("carrier", shipment.carrier),
        ("tracking", shipment.tracking), ("ETA", shipment.eta)) if value)
    out.print(Text(f"Shipment {shipment.reference} of {shipment.purchase_order} ({shipment.status}) "
                   f"via {shipment.transit} to {shipment.destination}, receipt {shipment.receipt}"
                   + (f"; {travel}" if travel else "")))
    grid = table("Line", "SKU", "Lot", "Shipped", "Received", "Written off", "In transit",
                 numeric=["Line", "Shipped", "Received", "Written off", "In transit"])
    for line in shipment.lines:
        grid.add_row(text(line.line_no), text(line.sku), text(line.lot),
                     *(measure(q, line.sku) for q in (line.shipped, line.received, line.written_off, line.in_transit)))
    out.print(grid)


def print_shipments(shipments: Iterable[SupplierShipmentView]) -> None:
    for shipment in shipments:
        print_shipment(shipment)


def ship(
    ctx: typer.Context, reference: Reference,
    line: Annotated[list[str] | None, typer.Option("--line", metavar="LINE_NO:QTY[:LOT[:EXPIRY]]",
                                                   help="What the supplier shipped of an order line.")] = None,
    serials: Annotated[list[str] | None, typer.Option("--serials", metavar="LINE_NO:SN1,SN2,...",
                                                      help="Serials shipped for a serial-tracked line.")] = None,
    scan: Annotated[list[str] | None, typer.Option("--scan", metavar="BARCODE", help="A GTIN or GS1 code.")] = None,
    transit: Annotated[str | None, typer.Option(help="A transit location (default: the only one).")] = None,
    container: Text100 = None, vessel: Text100 = None, carrier: Text100 = None,
    tracking: Annotated[str | None, typer.Option(help="Bill of lading or tracking number.")] = None,
    eta: Annotated[str | None, typer.Option(help="Expected arrival (default: the order's expected date).")] = None,
    exchange_rate: Annotated[str | None, typer.Option(help="Company currency per unit of the order's.")] = None,
    shipment_reference: Annotated[str | None, typer.Option(help="Default: the next ASN-000001.")] = None,
    cost: Costs = None, note: Text100 = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """The supplier shipped (an ASN): receive the goods into transit, one posting."""
    lines = receipt_lines(line, serials, scan, None)
    if not lines:
        raise typer.BadParameter("give at least one --line, --serials or --scan", param_hint="'--line'")
    print_shipment(services.supplier_shipments.ship_purchase_order(onhand(ctx), ShipPurchaseOrder(
        reference, lines, transit=transit, container=container, vessel=vessel, carrier=carrier, tracking=tracking,
        eta=parse_date(eta, "eta"), exchange_rate=given_decimal(exchange_rate, "exchange_rate"),
        shipment_reference=shipment_reference, landed_costs=landed_costs(cost), note=note,
    ), idempotency_key=idempotency_key))


def list_shipments(ctx: typer.Context, reference: Reference) -> None:
    """Show every supplier shipment of a purchase order, oldest first."""
    print_shipments(services.supplier_shipments.list_supplier_shipments(onhand(ctx), reference))


@shipments_app.command("show")
def show(ctx: typer.Context, shipment: Shipment) -> None:
    """Show a supplier shipment: what is shipped, received, written off and in transit."""
    print_shipment(services.supplier_shipments.get_supplier_shipment(onhand(ctx), shipment))


@shipments_app.command("receive")
def receive(
    ctx: typer.Context, shipment: Shipment, line: Parts = None,
    location: Annotated[str | None, typer.Option(help="A bin in the order's destination.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Goods arrived: transit → the order's destination, received on the order."""
    print_shipment(services.supplier_shipments.receive_supplier_shipment(
        onhand(ctx), ReceiveSupplierShipment(shipment, _parts(line), location=location),
        idempotency_key=idempotency_key))


@shipments_app.command("write-off")
def write_off(
    ctx: typer.Context, shipment: Shipment, line: Parts = None,
    reason: Annotated[str | None, typer.Option(help="A reason code (default: lost_in_transit).")] = None,
    note: Text100 = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """What will never arrive leaves transit as a loss."""
    print_shipment(services.supplier_shipments.write_off_supplier_shipment(
        onhand(ctx), WriteOffSupplierShipment(shipment, _parts(line), reason=reason, note=note),
        idempotency_key=idempotency_key))


@shipments_app.command("update")
def update(
    ctx: typer.Context, shipment: Shipment,
    eta: Annotated[str | None, typer.Option(help="The new expected arrival.")] = None,
    container: Text100 = None, vessel: Text100 = None, carrier: Text100 = None, tracking: Text100 = None,
    note: Text100 = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """The carrier's news: a new ETA, vessel, container, tracking number or note."""
    print_shipment(services.supplier_shipments.update_supplier_shipment(onhand(ctx), UpdateSupplierShipment(
        shipment, eta=parse_date(eta, "eta"), container=container, vessel=vessel, carrier=carrier,
        tracking=tracking, note=note), idempotency_key=idempotency_key))
