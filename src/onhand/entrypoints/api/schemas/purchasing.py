"""Purchase orders: what a new or changed order says, and how an order and its lines read back."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from onhand.domain.calendar import parse_date
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    NewPurchaseLine,
    UpdatePurchaseOrder,
    parse_purchase_line,
)
from onhand.entrypoints.api.schemas.common import DateIn, DecimalIn, DecimalOut, QuantityIn, RequestModel, ResponseModel
from onhand.services.purchasing.views import PurchaseOrderView


class PurchaseLineIn(RequestModel):
    sku: str = Field(examples=["TEA-1"])
    quantity: QuantityIn
    unit_cost: DecimalIn | None = Field(None, description="In the order's currency; default: the supplier's price")

    def to_line(self, field: str) -> NewPurchaseLine:
        return parse_purchase_line(field, sku=self.sku, quantity=self.quantity, unit_cost=self.unit_cost)


def purchase_lines(lines: list[PurchaseLineIn] | None) -> tuple[NewPurchaseLine, ...] | None:
    if lines is None:
        return None
    return tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(lines))


class PurchaseOrderIn(RequestModel):
    """A draft purchase order. The same supplier and `supplier_reference` again return it."""

    supplier: str = Field(examples=["ACME"])
    destination: str = Field(description="Internal location the goods are for", examples=["NY"])
    lines: list[PurchaseLineIn]
    reference: str | None = Field(None, description="Default: the next PO-000001")
    supplier_reference: str | None = Field(None, description="The supplier's number for the order")
    currency: str | None = Field(None, description="Default: the supplier's currency")
    expected_date: DateIn | None = Field(None, description="Default: today plus the supplier's lead time")
    note: str | None = None

    def to_command(self) -> CreatePurchaseOrder:
        return CreatePurchaseOrder(
            supplier=self.supplier, destination=self.destination, lines=purchase_lines(self.lines) or (),
            reference=self.reference, supplier_reference=self.supplier_reference, currency=self.currency,
            expected_date=parse_date(self.expected_date, "expected_date"), note=self.note,
        )


class PurchaseOrderPatch(RequestModel):
    """Lines (replacing all), destination and currency while draft; expected date, supplier
    reference and note until the order is received, closed or cancelled."""

    lines: list[PurchaseLineIn] | None = None
    destination: str | None = None
    currency: str | None = None
    supplier_reference: str | None = None
    expected_date: DateIn | None = None
    note: str | None = None

    def to_command(self, reference: str) -> UpdatePurchaseOrder:
        return UpdatePurchaseOrder(
            reference, lines=purchase_lines(self.lines), destination=self.destination, currency=self.currency,
            supplier_reference=self.supplier_reference, expected_date=parse_date(self.expected_date, "expected_date"),
            note=self.note,
        )


class PurchaseLineOut(ResponseModel):
    line_no: int
    sku: str
    supplier_sku: str | None
    quantity: DecimalOut
    unit_cost: DecimalOut
    received: DecimalOut
    open: DecimalOut = Field(description="Still expected (0 once closed or cancelled)")
    returned: DecimalOut = Field(description="Sent back to the supplier (received stays what arrived)")
    in_transit: DecimalOut = Field(description="On a supplier shipment, not received yet (part of open)")


class PurchaseOrderOut(ResponseModel):
    reference: str
    supplier: str
    supplier_reference: str | None
    currency: str
    destination: str
    expected_date: date | None
    status: str = Field(description="draft, ordered, partially_received, received, closed or cancelled")
    note: str | None
    total: DecimalOut
    created_at: datetime
    updated_at: datetime
    ordered_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    lines: list[PurchaseLineOut]
    receipts: list[str]
    returns: list[str] = Field(description="Returns to supplier, oldest first")
    shipments: list[str] = Field(description="Supplier shipments (ASNs), oldest first")
    warnings: list[str] = Field(description="Lines below the minimum order quantity or off the pack size")

    @classmethod
    def of(cls, order: PurchaseOrderView) -> PurchaseOrderOut:
        fields = {name: value for name, value in order.__dict__.items() if name != "lines"}
        return cls(**fields, total=order.total, lines=[PurchaseLineOut(**ln.__dict__) for ln in order.lines])


class PurchaseOrderList(ResponseModel):
    purchase_orders: list[PurchaseOrderOut]
