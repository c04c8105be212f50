"""Read models of purchasing: suppliers, their prices, purchase orders, receipts, scans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.domain.errors import NotFound
from onhand.domain.purchasing.purchase_orders import PurchaseLineProgress

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class SupplierView:
    code: str
    name: str
    currency: str
    lead_time_days: int
    email: str | None
    phone: str | None
    # None: the company's over-receipt tolerance applies.
    over_receipt_tolerance_pct: Decimal | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SupplierPriceView:
    supplier: str
    sku: str
    supplier_sku: str | None
    unit_cost: Decimal  # in the supplier's currency
    currency: str
    min_order_quantity: Decimal | None
    pack_size: Decimal | None
    updated_at: datetime


@dataclass(frozen=True)
class PurchaseOrderLineView:
    line_no: int
    sku: str
    quantity: Decimal
    unit_cost: Decimal
    received: Decimal
    open: Decimal  # still expected (zero once the order is closed or cancelled)
    supplier_sku: str | None = None
    returned: Decimal = Decimal(0)  # sent back to the supplier (received stays what arrived)


@dataclass(frozen=True)
class PurchaseOrderView:
    reference: str
    supplier: str
    supplier_reference: str | None
    currency: str
    destination: str
    expected_date: date | None
    status: str
    note: str | None
    created_at: datetime
    updated_at: datetime
    ordered_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    lines: tuple[PurchaseOrderLineView, ...]
    receipts: tuple[str, ...] = ()  # references, oldest first
    returns: tuple[str, ...] = ()  # returns to supplier, oldest first
    # Lines below the supplier's minimum order quantity or off its pack size.
    warnings: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((line.quantity * line.unit_cost for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class LandedCostShareView:
    receipt_line_id: int
    sku: str
    amount: Decimal  # in the landed cost's currency


@dataclass(frozen=True)
class LandedCostView:
    id: int
    kind: str
    amount: Decimal
    currency: str
    exchange_rate: Decimal
    method: str
    reference: str | None
    created_at: datetime
    allocations: tuple[LandedCostShareView, ...]


@dataclass(frozen=True)
class ReceiptLineView:
    id: int
    line_no: int  # of the purchase order
    sku: str
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: Decimal
    unit_cost: Decimal  # in the order's currency
    # Landed costs allocated to the line, in the company's currency.
    landed_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class ReceiptView:
    reference: str
    purchase_order: str
    supplier: str
    posting_id: int
    currency: str
    exchange_rate: Decimal
    company_currency: str
    delivery_reference: str | None
    created_at: datetime
    lines: tuple[ReceiptLineView, ...]
    landed_costs: tuple[LandedCostView, ...] = ()
    purchase_order_status: str = ""


@dataclass(frozen=True)
class IncomingRow:
    """Open purchase quantity of an item bound for a location (stock levels' `incoming`)."""

    item_id: int
    sku: str
    location_id: int
    quantity: Decimal
    expected_date: date | None
    lot_id: None = None
    lot_code: None = None


@dataclass(frozen=True)
class SupplierReturnLineView:
    line_no: int  # of the purchase order
    sku: str
    location: str
    lot: str | None
    quantity: Decimal


@dataclass(frozen=True)
class SupplierReturnView:
    """Units of received purchase order lines sent back to the supplier: one posting."""

    reference: str
    purchase_order: str
    supplier: str
    posting_id: int
    authorisation: str | None  # the supplier's RMA number
    note: str | None
    created_at: datetime
    lines: tuple[SupplierReturnLineView, ...]
    company_currency: str
    value: Decimal  # what the returned units took out of the cost layers, company currency


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
            returned=returned.get(line.id, ZERO),
        ))
        warnings.extend(_price_warnings(uow, supplier, line))
    return PurchaseOrderView(
        reference=order.reference, supplier=supplier.code, supplier_reference=order.supplier_reference,
        currency=order.currency, destination=place[order.destination_id], expected_date=order.expected_date,
        status=order.status, note=order.note, created_at=order.created_at, updated_at=order.updated_at,
        ordered_at=order.ordered_at, closed_at=order.closed_at, cancelled_at=order.cancelled_at,
        lines=tuple(lines), receipts=tuple(uow.purchase_orders.receipt_references(order_id)),
        returns=tuple(row.reference for row in uow.supplier_returns.for_order(order_id)),
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
