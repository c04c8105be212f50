"""Sales orders as Rich tables: the order, its lines, reservations, shipments, packages,
and the pick list (one table per site, bins in walking order)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from onhand.entrypoints.cli.render import amount, console, fields, measure, moment, quantity, table, text, unit_total
from onhand.services.orders.picking import PickList
from onhand.services.orders.views import PackageView, SalesOrderView, ShipmentView, ShipTo

LINE_NUMBERS = ("Ordered", "Price", "Reserved", "Picked", "Shipped", "Returned", "Backordered", "Open")
# A status that needs someone's attention stands out.
STATUS_STYLE = {"backordered": "yellow", "cancelled": "red", "shipped": "green"}


def address(ship_to: ShipTo) -> str:
    parts = [ship_to.name, ship_to.line1, ship_to.line2, ship_to.city, ship_to.region, ship_to.postcode,
             ship_to.country]
    where = ", ".join(part for part in parts if part)
    if ship_to.latitude is not None and ship_to.longitude is not None:
        where += f" ({ship_to.latitude}, {ship_to.longitude})"
    return where.strip()


def status_text(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, ""))


def print_order(order: SalesOrderView) -> None:
    """The order's header, then a table each of lines, reservations, shipments, packages."""
    out = console()
    out.print(
        fields(
            [
                ("Reference", order.reference),
                ("Channel", order.channel),
                ("External id", order.external_id),
                ("Customer", order.customer),
                ("Customer code", order.customer_code),
                ("Ship to", address(order.ship_to) or None),
                ("Currency", order.currency),
                ("Exchange rate", None if order.exchange_rate is None else f"{order.exchange_rate:f}"),
                ("Requested ship date", order.requested_ship_date),
                ("Status", order.status),
                ("Routing", order.routing_note),
                ("Created", order.created_at),
                ("Cancelled", order.cancelled_at),
            ],
            title=f"Order {order.reference}", key="order",
        )
    )
    lines = table("Line", "SKU", *LINE_NUMBERS, "Lot asked", "Ship from", title="Lines", numeric=LINE_NUMBERS)
    for line in order.lines:
        lines.add_row(
            # A bundle's component is shown as part of its line, e.g. "3 (of 1)".
            text(line.line_no if line.kit_line_no is None else f"{line.line_no} (of {line.kit_line_no})"),
            text(line.sku), measure(line.quantity, line.sku), amount(line.unit_price, order.currency),
            *(measure(q, line.sku) for q in (line.reserved, line.picked, line.shipped, line.returned,
                                             line.backordered, line.open)),
            text(line.lot), text(line.location),
            style="yellow" if line.backordered > 0 else None,
        )
    out.print(lines)
    held = table("Location", "Lot", "Expiry", "Line", "SKU", "Reserved", "Picked", title="Reservations",
                 numeric=("Reserved", "Picked"))
    for line in order.lines:
        for r in line.reservations:
            held.add_row(text(r.location), text(r.lot), text(r.expiry_date), text(line.line_no), text(line.sku),
                         measure(r.quantity, line.sku), measure(r.picked, line.sku))
    if held.row_count:
        out.print(held)
    if order.shipments:
        out.print(shipments_table(order.shipments))
    if order.packages:
        out.print(packages_table(order.packages))
    if order.returns:
        grid = table("Return", "When", "Line", "SKU", "Into", "Lot", "Quantity", "Refund/unit", "Reason",
                     "Condition", title="Returns", numeric=("Quantity", "Refund/unit"))
        for record in order.returns:
            for line in record.lines:
                grid.add_row(text(record.reference), text(moment(record.created_at)), text(line.line_no),
                             text(line.sku), text(line.location), text(line.lot), measure(line.quantity, line.sku),
                             text("default") if line.refund_unit_price is None
                             else amount(line.refund_unit_price, order.currency),
                             text(line.reason), text(line.condition))
        out.print(grid)


def shipments_table(shipments: tuple[ShipmentView, ...]) -> Table:
    grid = table("Shipment", "Posting", "When", "Line", "SKU", "From", "Lot", "Quantity", title="Shipments",
                 numeric=("Quantity",))
    for shipment in shipments:
        for line in shipment.lines:
            grid.add_row(
                text(f"S{shipment.id}"), text(f"#{shipment.posting_id}"), text(moment(shipment.created_at)),
                text(line.line_no), text(line.sku), text(line.location), text(line.lot),
                measure(line.quantity, line.sku),
            )
    return grid


def _size(package: PackageView) -> str | None:
    sizes = [size for size in (package.length_cm, package.width_cm, package.height_cm) if size is not None]
    return "x".join(quantity(size) for size in sizes) if len(sizes) == 3 else None


def packages_table(packages: tuple[PackageView, ...]) -> Table:
    grid = table("Package", "Carrier", "Tracking", "Weight kg", "Size cm", "Contents", "Shipment",
                 title="Packages", numeric=("Weight kg",))
    for package in packages:
        contents = ", ".join(f"line {no}: {quantity(q)}" for no, q in package.contents)
        grid.add_row(
            text(f"P{package.id}"), text(package.carrier), text(package.tracking_number), text(package.weight_kg),
            text(_size(package)), text(contents),
            text(f"S{package.shipment_id}" if package.shipment_id else "not shipped"),
        )
    return grid


def print_orders(orders: list[SalesOrderView]) -> None:
    grid = table("Reference", "Channel", "External id", "Customer", "Status", "Ship date", "Lines", "Open",
                 numeric=("Lines", "Open"))
    for order in orders:
        grid.add_row(
            text(order.reference), text(order.channel), text(order.external_id), text(order.customer),
            status_text(order.status), text(order.requested_ship_date), text(len(order.lines)),
            unit_total((line.sku, line.open) for line in order.lines),  # per unit when they differ
        )
    out = console()
    out.print(grid)
    if not orders:
        out.print("No orders.")


def print_pick_list(pick_list: PickList) -> None:
    out = console()
    if not pick_list.sites:
        out.print(Text(f"Nothing left to pick for {pick_list.order}."))
    for site in pick_list.sites:
        grid = table("Location", "SKU", "Lot", "Expiry", "Quantity", "Line",
                     title=f"Pick list {pick_list.order} at {site.site}", key="pick_list", numeric=("Quantity",))
        for line in site.lines:
            grid.add_row(text(line.location), text(line.sku), text(line.lot), text(line.expiry_date),
                         measure(line.quantity, line.sku), text(line.line_no))
        out.print(grid)
