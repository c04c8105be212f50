"""Suppliers, purchase orders and receipts as Rich tables."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from onhand.entrypoints.cli.render import amount, console, fields, measure, table, text
from onhand.services.purchasing.views import PurchaseOrderView, ReceiptView, SupplierPriceView, SupplierView


def print_supplier(supplier: SupplierView) -> None:
    tolerance = supplier.over_receipt_tolerance_pct
    console().print(fields([
        ("Code", supplier.code), ("Name", supplier.name), ("Currency", supplier.currency),
        ("Lead time (days)", supplier.lead_time_days), ("Email", supplier.email), ("Phone", supplier.phone),
        ("Over-receipt tolerance %", "company default" if tolerance is None else tolerance),
    ], title=f"Supplier {supplier.code}", key="supplier"))


def print_suppliers(suppliers: Iterable[SupplierView]) -> None:
    grid = table("Code", "Name", "Currency", "Lead time", "Email", numeric=["Lead time"])
    for s in suppliers:
        grid.add_row(text(s.code), text(s.name), text(s.currency), text(s.lead_time_days), text(s.email))
    console().print(grid)


def print_prices(prices: Iterable[SupplierPriceView]) -> None:
    grid = table("Supplier", "SKU", "Supplier SKU", "Unit cost", "Currency", "Min. order", "Pack",
                 numeric=["Unit cost", "Min. order", "Pack"])
    for p in prices:
        grid.add_row(text(p.supplier), text(p.sku), text(p.supplier_sku), amount(p.unit_cost, p.currency),
                     text(p.currency), measure(p.min_order_quantity, p.sku), measure(p.pack_size, p.sku))
    console().print(grid)


def print_purchase_order(order: PurchaseOrderView) -> None:
    out = console()
    out.print(fields([
        ("Reference", order.reference), ("Status", order.status), ("Supplier", order.supplier),
        ("Supplier reference", order.supplier_reference), ("Destination", order.destination),
        ("Currency", order.currency), ("Expected", order.expected_date), ("Total", amount(order.total, order.currency)),
        ("Receipts", ", ".join(order.receipts)), ("Returns", ", ".join(order.returns) or None),
        ("Note", order.note),
    ], title=f"Purchase order {order.reference}", key="purchase_order"))
    grid = table("Line", "SKU", "Ordered", "Unit cost", "Received", "Returned", "Open",
                 numeric=["Line", "Ordered", "Unit cost", "Received", "Returned", "Open"])
    for line in order.lines:
        grid.add_row(text(line.line_no), text(line.sku), measure(line.quantity, line.sku),
                     amount(line.unit_cost, order.currency),
                     *(measure(q, line.sku) for q in (line.received, line.returned, line.open)))
    out.print(grid)
    for warning in order.warnings:
        out.print(Text(f"warning: {warning}"))


def print_purchase_orders(orders: Iterable[PurchaseOrderView]) -> None:
    grid = table("Reference", "Supplier", "Status", "Destination", "Expected", "Lines", "Total",
                 numeric=["Lines", "Total"])
    for o in orders:
        grid.add_row(text(o.reference), text(o.supplier), text(o.status), text(o.destination),
                     text(o.expected_date), text(len(o.lines)), amount(o.total, o.currency))
    console().print(grid)


def print_receipt(receipt: ReceiptView) -> None:
    out = console()
    out.print(Text(
        f"Receipt {receipt.reference} against {receipt.purchase_order} ({receipt.purchase_order_status}), "
        f"posting #{receipt.posting_id}, {receipt.currency} at {receipt.exchange_rate:f} {receipt.company_currency}"
    ))
    grid = table("Line", "SKU", "Location", "Lot", "Expiry", "Quantity", "Unit cost",
                 f"Landed ({receipt.company_currency})", numeric=["Line", "Quantity", "Unit cost",
                                                                  f"Landed ({receipt.company_currency})"])
    for line in receipt.lines:
        grid.add_row(text(line.line_no), text(line.sku), text(line.location), text(line.lot),
                     text(line.expiry_date), measure(line.quantity, line.sku),
                     amount(line.unit_cost, receipt.currency), amount(line.landed_cost, receipt.company_currency))
    out.print(grid)
    if receipt.landed_costs:
        costs = table("Kind", "Amount", "Currency", "Rate", "Method", "Allocation",
                      numeric=["Amount", "Rate"], title="Landed costs")
        for cost in receipt.landed_costs:
            shares = ", ".join(f"{share.sku} {amount(share.amount, cost.currency)}" for share in cost.allocations)
            costs.add_row(text(cost.kind), amount(cost.amount, cost.currency), text(cost.currency),
                          text(cost.exchange_rate), text(cost.method), text(shares))
        out.print(costs)
