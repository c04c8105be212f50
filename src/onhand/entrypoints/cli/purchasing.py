"""`onhand suppliers …` and `onhand purchase-orders …`: suppliers, their prices, purchase orders.

Lines are repeated `--line SKU:QTY[:UNIT_COST]` (no cost: the supplier's price).
Receiving (`purchase-orders receive`), receipts and scans are in `receiving.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from onhand import services
from onhand.domain.calendar import parse_date
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    NewPurchaseLine,
    PurchaseOrderAction,
    SetSupplierPrice,
    UpdatePurchaseOrder,
    UpdateSupplier,
    given_decimal,
    parse_purchase_line,
    parse_tolerance,
)
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.cli import receiving, supplier_returns, supplier_shipments
from onhand.entrypoints.cli.listing import UpdatedSince
from onhand.entrypoints.cli.order_options import IdempotencyKey
from onhand.entrypoints.cli.purchasing_render import (
    print_prices,
    print_purchase_order,
    print_purchase_orders,
    print_supplier,
    print_suppliers,
)
from onhand.entrypoints.cli.session import onhand

suppliers_app = typer.Typer(help="Suppliers and the prices they charge.", no_args_is_help=True)
purchase_orders_app = typer.Typer(help="Purchase orders: draft, place, receive, close, cancel.", no_args_is_help=True)

Code = Annotated[str, typer.Argument(help="The supplier's code, e.g. ACME.")]
Reference = Annotated[str, typer.Argument(help="The purchase order's reference, e.g. PO-000001.")]
Currency = Annotated[str | None, typer.Option(help="ISO 4217 code, e.g. EUR.")]
LeadTime = Annotated[int | None, typer.Option(help="Days from order to delivery.")]
Email = Annotated[str | None, typer.Option(help="Contact email (\"\" clears it).")]
Phone = Annotated[str | None, typer.Option(help="Contact phone (\"\" clears it).")]
Tolerance = Annotated[str | None, typer.Option(
    "--tolerance", help="Over-receipt tolerance in percent (\"\" clears it: the company's applies).")]
Lines = Annotated[list[str] | None, typer.Option(
    "--line", metavar="SKU:QTY[:UNIT_COST]", help="One line; repeat for several. No cost: the supplier's price.")]
Expected = Annotated[str | None, typer.Option(help="Expected delivery, YYYY-MM-DD.")]
SupplierReference = Annotated[str | None, typer.Option(help="The supplier's number for the order.")]
Note = Annotated[str | None, typer.Option(help="A note.")]


def _new_tolerance(text: str | None) -> Decimal | None:
    tolerance = parse_tolerance(text)
    return None if tolerance is None or isinstance(tolerance, str) else tolerance  # "": the company's applies


def purchase_lines(values: list[str] | None) -> list[NewPurchaseLine]:
    lines = []
    for value in values or []:
        parts = value.split(":")
        if not 2 <= len(parts) <= 3 or not all(part.strip() for part in parts[:2]):
            raise typer.BadParameter(f"{value!r} is not SKU:QTY[:UNIT_COST]", param_hint="'--line'")
        cost = parts[2] if len(parts) == 3 and parts[2].strip() else None
        lines.append(parse_purchase_line(f"lines[{len(lines)}]", sku=parts[0], quantity=parts[1], unit_cost=cost))
    return lines


@suppliers_app.command("add")
@suppliers_app.command("create", hidden=True)  # its name before `add` (as customers, items): scripts use it
def create_supplier(
    ctx: typer.Context, code: Code, name: Annotated[str, typer.Option(help="Supplier name.")],
    currency: Currency = None, lead_time_days: Annotated[int, typer.Option(help="Days from order to delivery.")] = 0,
    email: Email = None, phone: Phone = None, tolerance: Tolerance = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """Add a supplier (currency: the company's unless given)."""
    print_supplier(services.suppliers.create_supplier(
        onhand(ctx), CreateSupplier(code=code, name=name, currency=currency, lead_time_days=lead_time_days, email=email,
        phone=phone, over_receipt_tolerance_pct=_new_tolerance(tolerance)), idempotency_key=idempotency_key))


@suppliers_app.command("update")
def update_supplier(
    ctx: typer.Context, code: Code, name: Annotated[str | None, typer.Option(help="Supplier name.")] = None,
    currency: Currency = None, lead_time_days: LeadTime = None, email: Email = None, phone: Phone = None,
    tolerance: Tolerance = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """Change a supplier; options not given stay as they are."""
    print_supplier(services.suppliers.update_supplier(
        onhand(ctx), UpdateSupplier(code, name=name, currency=currency, lead_time_days=lead_time_days, email=email,
            phone=phone,
        over_receipt_tolerance_pct=parse_tolerance(tolerance)), idempotency_key=idempotency_key))


@suppliers_app.command("list")
def list_suppliers(ctx: typer.Context, search: Annotated[str | None, typer.Option(help="Part of code or name.")] = None
                   ) -> None:
    """List suppliers by code."""
    print_suppliers(services.suppliers.list_suppliers(onhand(ctx), search=search))


@suppliers_app.command("show")
def show_supplier(ctx: typer.Context, code: Code) -> None:
    """Show a supplier and its prices."""
    print_supplier(services.suppliers.get_supplier(onhand(ctx), code))
    print_prices(services.suppliers.list_supplier_prices(onhand(ctx), supplier=code))


@suppliers_app.command("price")
def set_price(
    ctx: typer.Context, supplier: Code, sku: Annotated[str, typer.Argument(help="The item's SKU.")],
    unit_cost: Annotated[str, typer.Argument(help="Cost of one unit in the supplier's currency.")],
    supplier_sku: Annotated[str | None, typer.Option(help="The supplier's code for the item.")] = None,
    min_order_quantity: Annotated[str | None, typer.Option("--moq", help="Minimum order quantity.")] = None,
    pack_size: Annotated[str | None, typer.Option(help="Sold in multiples of this.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Set what a supplier charges for an item (created or replaced)."""
    print_prices([services.suppliers.set_supplier_price(
        onhand(ctx), SetSupplierPrice(
            supplier=supplier, sku=sku, unit_cost=parse_decimal(unit_cost, "unit_cost"), supplier_sku=supplier_sku,
            min_order_quantity=given_decimal(min_order_quantity, "min_order_quantity"),
            pack_size=given_decimal(pack_size, "pack_size")), idempotency_key=idempotency_key)])


@suppliers_app.command("prices")
def list_prices(
    ctx: typer.Context, supplier: Annotated[str | None, typer.Option(help="One supplier's prices.")] = None,
    sku: Annotated[str | None, typer.Option(help="Every supplier's price of one item.")] = None,
) -> None:
    """List the prices of one supplier, or of one item across suppliers."""
    print_prices(services.suppliers.list_supplier_prices(onhand(ctx), supplier=supplier, sku=sku))


@purchase_orders_app.command("create")
def create_purchase_order(
    ctx: typer.Context, supplier: Annotated[str, typer.Option(help="The supplier's code.")],
    to: Annotated[str, typer.Option("--to", help="Destination: the internal location it is for.")],
    line: Lines = None, reference: Annotated[str | None, typer.Option(help="Default: the next PO-000001.")] = None,
    supplier_reference: SupplierReference = None, currency: Currency = None, expected_date: Expected = None,
    note: Note = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """Draft a purchase order (expected: today plus the supplier's lead time unless given)."""
    if not line:
        raise typer.BadParameter("give at least one --line SKU:QTY[:UNIT_COST]", param_hint="'--line'")
    print_purchase_order(services.purchase_orders.create_purchase_order(
        onhand(ctx), CreatePurchaseOrder(supplier=supplier, destination=to, lines=purchase_lines(line),
            reference=reference,
        supplier_reference=supplier_reference, currency=currency, expected_date=parse_date(expected_date,
            "expected_date"), note=note),
        idempotency_key=idempotency_key))


@purchase_orders_app.command("update")
def update_purchase_order(
    ctx: typer.Context, reference: Reference, line: Lines = None,
    to: Annotated[str | None, typer.Option("--to", help="New destination (draft only).")] = None,
    currency: Currency = None, supplier_reference: SupplierReference = None, expected_date: Expected = None,
    note: Note = None, idempotency_key: IdempotencyKey = None,
) -> None:
    """Change a draft (lines replace all); expected date, references and note until it ends."""
    print_purchase_order(services.purchase_orders.update_purchase_order(
        onhand(ctx), UpdatePurchaseOrder(reference, lines=purchase_lines(line) if line else None, destination=to,
        currency=currency, supplier_reference=supplier_reference, expected_date=parse_date(expected_date,
            "expected_date"), note=note),
        idempotency_key=idempotency_key))


@purchase_orders_app.command("list")
def list_purchase_orders(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="draft, ordered, partially_received, received, closed, "
                                                    "cancelled.")] = None,
    supplier: Annotated[str | None, typer.Option(help="Only this supplier's orders.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1-1000).")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    updated_since: UpdatedSince = None,
) -> None:
    """List purchase orders, newest first."""
    print_purchase_orders(services.purchase_orders.list_purchase_orders(
        onhand(ctx), status=status, supplier=supplier, limit=limit, offset=offset, updated_since=updated_since))


@purchase_orders_app.command("show")
def show_purchase_order(ctx: typer.Context, reference: Reference) -> None:
    """Show a purchase order: lines, what was received, what is open."""
    print_purchase_order(services.purchase_orders.get_purchase_order(onhand(ctx), reference))


@purchase_orders_app.command("place")
def place(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """Send a draft to the supplier: its quantities become incoming."""
    print_purchase_order(services.purchase_orders.place_purchase_order(
        onhand(ctx), PurchaseOrderAction(reference), idempotency_key=idempotency_key))


@purchase_orders_app.command("close")
def close(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """End a partly received order: what was not received is no longer expected."""
    print_purchase_order(services.purchase_orders.close_purchase_order(
        onhand(ctx), PurchaseOrderAction(reference), idempotency_key=idempotency_key))


@purchase_orders_app.command("cancel")
def cancel(ctx: typer.Context, reference: Reference, idempotency_key: IdempotencyKey = None) -> None:
    """Cancel an order of which nothing was received."""
    print_purchase_order(services.purchase_orders.cancel_purchase_order(
        onhand(ctx), PurchaseOrderAction(reference), idempotency_key=idempotency_key))


purchase_orders_app.command("receive")(receiving.receive)
purchase_orders_app.command("receipts")(receiving.list_receipts)
purchase_orders_app.command("return")(supplier_returns.return_to_supplier)
purchase_orders_app.command("returns")(supplier_returns.list_supplier_returns)
purchase_orders_app.command("ship")(supplier_shipments.ship)
purchase_orders_app.command("shipments")(supplier_shipments.list_shipments)
purchase_orders_app.command("receive-shipment")(supplier_shipments.receive)
