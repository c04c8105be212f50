"""Read models of suppliers, purchase orders, receipts, landed costs and supplier returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


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
    in_transit: Decimal = Decimal(0)  # on a supplier shipment, not received yet (part of open)


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
    shipments: tuple[str, ...] = ()  # supplier shipments (ASNs), oldest first
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


@dataclass(frozen=True)
class SupplierShipmentLineView:
    line_no: int  # the purchase order's line
    sku: str
    lot: str | None
    shipped: Decimal
    received: Decimal
    written_off: Decimal
    in_transit: Decimal
    unit_cost: Decimal  # in the order's currency


@dataclass(frozen=True)
class SupplierShipmentView:
    reference: str
    purchase_order: str
    supplier: str
    status: str
    receipt: str  # the receipt into transit: its landed costs are the shipment's
    transit: str
    destination: str
    container: str | None
    vessel: str | None
    carrier: str | None
    tracking: str | None
    eta: date | None
    note: str | None
    created_at: datetime
    lines: tuple[SupplierShipmentLineView, ...]
    landed_costs: tuple[LandedCostView, ...] = ()
