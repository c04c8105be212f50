"""Read models of purchasing: suppliers, their prices, purchase orders, receipts, scans."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.errors import NotFound
from onhand.domain.purchasing.purchase_orders import PurchaseLineProgress
from onhand.domain.purchasing.views import (
    IncomingRow,
    LandedCostShareView,
    LandedCostView,
    PurchaseOrderLineView,
    PurchaseOrderView,
    ReceiptLineView,
    ReceiptView,
    SupplierPriceView,
    SupplierReturnLineView,
    SupplierReturnView,
    SupplierView,
)

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


def purchase_order_subject(order: PurchaseOrderView) -> AuditObject:
    return AuditObject("purchase_order", order.reference)


def receipt_subject(receipt: ReceiptView) -> AuditObject:
    return AuditObject("receipt", receipt.reference)


def supplier_return_subject(found: SupplierReturnView) -> AuditObject:
    return AuditObject("supplier_return", found.reference)


def load_purchase_order(uow: UnitOfWork, order_id: int) -> PurchaseOrderView:
    order = uow.purchase_orders.get(order_id)
    if order is None:
        raise NotFound("purchase order", str(order_id), "purchase_order")
    received = uow.purchase_orders.received(order_id)
    delivered = uow.purchase_orders.delivered(order_id)
    returned = uow.supplier_returns.returned(order_id)
    supplier = uow.suppliers.get(order.supplier_id)
    place = {loc.id: loc.code for loc in uow.locations.all()}
    ended = order.closed_at is not None or order.cancelled_at is not None
    lines, warnings = [], []
    for line in uow.purchase_orders.lines(order_id):
        progress = PurchaseLineProgress(line.quantity, received[line.id])
        lines.append(PurchaseOrderLineView(
            line_no=line.line_no, sku=line.sku, quantity=line.quantity, unit_cost=line.unit_cost,
            received=progress.received, open=ZERO if ended else progress.open, supplier_sku=line.supplier_sku,
            returned=returned.get(line.id, ZERO), in_transit=delivered[line.id] - received[line.id],
        ))
        warnings.extend(_price_warnings(uow, supplier, line))
    return PurchaseOrderView(
        reference=order.reference, supplier=supplier.code, supplier_reference=order.supplier_reference,
        currency=order.currency, destination=place[order.destination_id], expected_date=order.expected_date,
        status=order.status, note=order.note, created_at=order.created_at, updated_at=order.updated_at,
        ordered_at=order.ordered_at, closed_at=order.closed_at, cancelled_at=order.cancelled_at,
        lines=tuple(lines), receipts=tuple(uow.purchase_orders.receipt_references(order_id)),
        returns=tuple(row.reference for row in uow.supplier_returns.for_order(order_id)),
        shipments=tuple(row.reference for row in uow.supplier_shipments.for_order(order_id)),
        warnings=tuple(warnings),
    )


def _price_warnings(uow: UnitOfWork, supplier: Any, line: Any) -> list[str]:
    price = uow.suppliers.price(supplier.id, line.item_id)
    found = []
    if price and price.min_order_quantity and line.quantity < price.min_order_quantity:
        found.append(f"line {line.line_no}: {line.quantity} {line.sku} is below {supplier.code}'s "
                     f"minimum order quantity of {price.min_order_quantity}")
    if price and price.pack_size and line.quantity % price.pack_size != 0:
        found.append(f"line {line.line_no}: {line.quantity} {line.sku} is not a whole number of "
                     f"{supplier.code}'s packs of {price.pack_size}")
    return found

# The read models re-exported here live in the domain now (domain/<area>/views.py);
# callers elsewhere keep importing them from this module.
__all__ = [
    "IncomingRow",
    "LandedCostShareView",
    "LandedCostView",
    "PurchaseOrderLineView",
    "PurchaseOrderView",
    "ReceiptLineView",
    "ReceiptView",
    "SupplierPriceView",
    "SupplierReturnLineView",
    "SupplierReturnView",
    "SupplierView",
    "load_purchase_order",
    "purchase_order_subject",
    "receipt_subject",
    "supplier_return_subject",
]
