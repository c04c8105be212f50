"""`onhand orders create|update|list|show|allocate|ship-from|cancel`: sales orders.

Lines are repeated `--line SKU:QTY[:PRICE[:LOT]]` (LOT: a lot the customer asked for);
`--from LOCATION` ships every line from there, whatever routing says. Fulfilment
(pick-list, pick, pack, ship, return) is in `fulfilment.py`, wired in here.
"""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.calendar import parse_date
from onhand.domain.orders.commands import (
    Address,
    CreateOrder,
    NewOrderLine,
    OrderAction,
    ShipLineFrom,
    UpdateOrder,
)
from onhand.domain.orders.commands import parse_order_line as order_line
from onhand.domain.quantities import optional_decimal
from onhand.entrypoints.cli import fulfilment, waves
from onhand.entrypoints.cli.listing import UpdatedSince
from onhand.entrypoints.cli.order_options import (
    Customer,
    FromOption,
    IdempotencyKey,
    LineOption,
    Reference,
    ShipDate,
    ShipToCity,
    ShipToCountry,
    ShipToLat,
    ShipToLine1,
    ShipToLine2,
    ShipToLon,
    ShipToName,
    ShipToPostcode,
    ShipToRegion,
)
from onhand.entrypoints.cli.order_render import print_order, print_orders
from onhand.entrypoints.cli.session import onhand

orders_app = typer.Typer(
    help="Sales orders: create, allocate (routed, FEFO), pick, pack, ship, return, cancel.",
    no_args_is_help=True,
)

def parse_order_line(value: str, location: str | None, field: str) -> NewOrderLine:
    parts = value.split(":")
    if not 2 <= len(parts) <= 4 or not all(part.strip() for part in parts[:2]):
        raise typer.BadParameter(f"{value!r} is not SKU:QTY[:PRICE[:LOT]]", param_hint="'--line'")
    sku, qty, *rest = parts
    price = rest[0] if rest and rest[0].strip() else "0"
    lot = rest[1] if len(rest) > 1 and rest[1].strip() else None
    return order_line(field, sku=sku, quantity=qty, unit_price=price, lot=lot, location=location)


def order_lines(values: list[str] | None, location: str | None) -> tuple[NewOrderLine, ...]:
    return tuple(parse_order_line(value, location, f"lines[{index}]") for index, value in enumerate(values or []))


def ship_to(
    *, name: str | None, line1: str | None, line2: str | None, city: str | None, region: str | None,
    postcode: str | None, country: str | None, latitude: float | None, longitude: float | None,
) -> Address | None:
    """The address from the --ship-to-* options; None when none was given."""
    address = Address(
        name=name, line1=line1, line2=line2, city=city, region=region, postcode=postcode, country=country,
        latitude=latitude, longitude=longitude,
    )
    return None if address == Address() else address


ExchangeRate = Annotated[
    str | None,
    typer.Option(help="Company currency per unit of the order's currency (required for a foreign currency)."),
]


@orders_app.command("create")
def create_order(
    ctx: typer.Context,
    line: LineOption = None,
    from_location: FromOption = None,
    reference: Annotated[str | None, typer.Option(help="Order reference (default: the next SO-000001).")] = None,
    channel: Annotated[str, typer.Option(help="Sales channel, e.g. shopify.")] = "manual",
    external_id: Annotated[
        str | None, typer.Option(help="The order's id in its channel; the same id again finds this order.")
    ] = None,
    customer: Customer = None,
    customer_email: Annotated[str | None, typer.Option(help="Tells customers of one name apart.")] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code (default: the company's).")] = None,
    exchange_rate: ExchangeRate = None,
    requested_ship_date: ShipDate = None,
    ship_to_name: ShipToName = None,
    ship_to_line1: ShipToLine1 = None,
    ship_to_line2: ShipToLine2 = None,
    ship_to_city: ShipToCity = None,
    ship_to_region: ShipToRegion = None,
    ship_to_postcode: ShipToPostcode = None,
    ship_to_country: ShipToCountry = None,
    ship_to_lat: ShipToLat = None,
    ship_to_lon: ShipToLon = None,
    allocate: Annotated[bool, typer.Option("--allocate", help="Allocate it at once, in the same transaction.")] = False,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Create a sales order (allocated by `onhand orders allocate`, or at once with --allocate)."""
    if not line:
        raise typer.BadParameter("give at least one --line SKU:QTY[:PRICE[:LOT]]", param_hint="'--line'")
    address = ship_to(
        name=ship_to_name, line1=ship_to_line1, line2=ship_to_line2, city=ship_to_city, region=ship_to_region,
        postcode=ship_to_postcode, country=ship_to_country, latitude=ship_to_lat, longitude=ship_to_lon,
    )
    print_order(
        services.sales_orders.create_order(
            onhand(ctx), CreateOrder(
                lines=order_lines(line, from_location), reference=reference, channel=channel,
                external_id=external_id, customer=customer, customer_email=customer_email, ship_to=address,
                currency=currency,
                exchange_rate=optional_decimal(exchange_rate, "exchange_rate"),
                requested_ship_date=parse_date(requested_ship_date, "requested_ship_date"), allocate=allocate,
            ), idempotency_key=idempotency_key,
        )
    )


@orders_app.command("update")
def update_order(
    ctx: typer.Context,
    reference: Reference,
    line: Annotated[
        list[str] | None,
        typer.Option("--line", metavar="SKU:QTY[:PRICE[:LOT]]", help="New lines: they replace all lines."),
    ] = None,
    from_location: FromOption = None,
    customer: Customer = None,
    requested_ship_date: ShipDate = None,
    exchange_rate: ExchangeRate = None,
    ship_to_name: ShipToName = None,
    ship_to_line1: ShipToLine1 = None,
    ship_to_line2: ShipToLine2 = None,
    ship_to_city: ShipToCity = None,
    ship_to_region: ShipToRegion = None,
    ship_to_postcode: ShipToPostcode = None,
    ship_to_country: ShipToCountry = None,
    ship_to_lat: ShipToLat = None,
    ship_to_lon: ShipToLon = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Change an order that has shipped nothing; any --ship-to-* replaces the whole address.
    An allocated order is allocated again under its new terms."""
    address = ship_to(
        name=ship_to_name, line1=ship_to_line1, line2=ship_to_line2, city=ship_to_city, region=ship_to_region,
        postcode=ship_to_postcode, country=ship_to_country, latitude=ship_to_lat, longitude=ship_to_lon,
    )
    print_order(
        services.sales_orders.update_order(
            onhand(ctx), UpdateOrder(
                reference, lines=order_lines(line, from_location) if line else None,
                customer=customer, ship_to=address,
                requested_ship_date=parse_date(requested_ship_date, "requested_ship_date"),
                exchange_rate=optional_decimal(exchange_rate, "exchange_rate"),
            ), idempotency_key=idempotency_key,
        )
    )


@orders_app.command("list")
def list_orders(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="open, backordered, allocated, partially_shipped, shipped or cancelled.")
    ] = None,
    channel: Annotated[str | None, typer.Option(help="Only orders from this channel.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many orders (1-1000).")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many orders first.")] = 0,
    updated_since: UpdatedSince = None,
) -> None:
    """List orders, newest first."""
    print_orders(services.sales_orders.list_orders(
        onhand(ctx), status=status, channel=channel, limit=limit, offset=offset, updated_since=updated_since))


@orders_app.command("show")
def show_order(ctx: typer.Context, reference: Reference) -> None:
    """Show an order: its lines, reservations, shipments and packages."""
    print_order(services.sales_orders.get_order(onhand(ctx), reference))


@orders_app.command("allocate")
def allocate_order(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """Reserve stock for what the order still needs (routed, FEFO); the rest is backordered."""
    print_order(services.sales_orders.allocate_order(
        onhand(ctx), OrderAction(reference), idempotency_key=idempotency_key
    ))


@orders_app.command("ship-from")
def ship_line_from(
    ctx: typer.Context,
    reference: Reference,
    line_no: Annotated[int, typer.Argument(help="The line number.")],
    location: Annotated[str, typer.Argument(help="A sellable location to ship the line from.")],
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Ship one line from a chosen location: its unpicked reservations move there."""
    print_order(
        services.sales_orders.ship_line_from(
            onhand(ctx), ShipLineFrom(reference, line_no=line_no, location=location),
            idempotency_key=idempotency_key,
        )
    )


@orders_app.command("cancel")
def cancel_order(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """Cancel what is still open and release every reservation (shipped goods stay shipped)."""
    print_order(services.sales_orders.cancel_order(
        onhand(ctx), OrderAction(reference), idempotency_key=idempotency_key
    ))


orders_app.command("pick-list")(fulfilment.pick_list)
orders_app.command("pick")(fulfilment.pick)
orders_app.command("pick-scan")(fulfilment.pick_scan)
orders_app.command("pack")(fulfilment.pack)
orders_app.command("ship")(fulfilment.ship)
orders_app.command("return")(fulfilment.receive_return)
orders_app.command("fulfil")(waves.fulfil)
