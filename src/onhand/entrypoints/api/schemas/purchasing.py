"""Purchasing: suppliers, supplier prices, purchase orders, receipts, landed costs, scans."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, StrictInt

from onhand.domain.calendar import parse_date, read_moment
from onhand.domain.purchasing.commands import (
    AddLandedCosts,
    CreatePurchaseOrder,
    CreateSupplier,
    NewLandedCost,
    NewPurchaseLine,
    ReceiptLine,
    ReceivePurchaseOrder,
    SetSupplierPrice,
    UpdatePurchaseOrder,
    UpdateSupplier,
    given_decimal,
    parse_landed_cost,
    parse_purchase_line,
    parse_receipt_line,
    parse_tolerance,
)
from onhand.domain.purchasing.landed_costs import AllocationMethod, LandedCostKind
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.api.schemas.common import (
    DateIn,
    DecimalIn,
    DecimalOut,
    QuantityIn,
    RequestModel,
    ResponseModel,
    choices,
)
from onhand.entrypoints.api.schemas.postings import EFFECTIVE_AT
from onhand.services.catalog.scanning import ScanView
from onhand.services.purchasing.views import (
    LandedCostView,
    PurchaseOrderView,
    ReceiptView,
    SupplierPriceView,
    SupplierView,
)

Tolerance = Field(None, description="Percent a receipt may exceed the ordered quantity; \"\" clears the override")


class SupplierIn(RequestModel):
    code: str = Field(examples=["ACME"])
    name: str = Field(examples=["Acme Tea Co."])
    currency: str | None = Field(None, description="Default: the company's currency", examples=["EUR"])
    lead_time_days: StrictInt = Field(0, description="Days from order to delivery; sets a new order's expected date")
    email: str | None = None
    phone: str | None = None
    over_receipt_tolerance_pct: DecimalIn | None = Tolerance

    def to_command(self) -> CreateSupplier:
        tolerance = parse_tolerance(self.over_receipt_tolerance_pct)
        no_override = tolerance is None or isinstance(tolerance, str)  # "": the company's applies
        fields = self.model_dump() | {"over_receipt_tolerance_pct": None if no_override else tolerance}
        return CreateSupplier(**fields)


class SupplierPatch(RequestModel):
    """Absent or null fields stay as they are; "" clears email, phone and the tolerance override."""

    name: str | None = None
    currency: str | None = None
    lead_time_days: StrictInt | None = None
    email: str | None = None
    phone: str | None = None
    over_receipt_tolerance_pct: DecimalIn | None = Tolerance

    def to_command(self, code: str) -> UpdateSupplier:
        return UpdateSupplier(code, **(self.model_dump() | {
            "over_receipt_tolerance_pct": parse_tolerance(self.over_receipt_tolerance_pct)}))


class SupplierOut(ResponseModel):
    code: str
    name: str
    currency: str
    lead_time_days: int
    email: str | None
    phone: str | None
    over_receipt_tolerance_pct: DecimalOut | None = Field(description="null: the company's tolerance applies")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, supplier: SupplierView) -> SupplierOut:
        return cls(**supplier.__dict__)


class SupplierList(ResponseModel):
    suppliers: list[SupplierOut]


class SupplierPriceIn(RequestModel):
    supplier: str = Field(examples=["ACME"])
    sku: str = Field(examples=["TEA-1"])
    unit_cost: DecimalIn = Field(description="Per unit, in the supplier's currency")
    supplier_sku: str | None = Field(None, description="The supplier's own code for the item")
    min_order_quantity: QuantityIn | None = None
    pack_size: QuantityIn | None = Field(None, description="Sold in multiples of this")

    def to_command(self) -> SetSupplierPrice:
        return SetSupplierPrice(
            supplier=self.supplier, sku=self.sku, unit_cost=parse_decimal(self.unit_cost, "unit_cost"),
            supplier_sku=self.supplier_sku,
            min_order_quantity=given_decimal(self.min_order_quantity, "min_order_quantity"),
            pack_size=given_decimal(self.pack_size, "pack_size"),
        )


class SupplierPriceOut(ResponseModel):
    supplier: str
    sku: str
    supplier_sku: str | None
    unit_cost: DecimalOut
    currency: str
    min_order_quantity: DecimalOut | None
    pack_size: DecimalOut | None
    updated_at: datetime

    @classmethod
    def of(cls, price: SupplierPriceView) -> SupplierPriceOut:
        return cls(**price.__dict__)


class SupplierPriceList(ResponseModel):
    prices: list[SupplierPriceOut]


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


class ReceiptLineIn(RequestModel):
    line_no: StrictInt | None = Field(None, description="The order line; may be left out when `barcode` names the item")
    quantity: QuantityIn | None = Field(None, description="Default: the serials, the scanned count, or 1 if scanned")
    lot: str | None = None
    expiry_date: DateIn | None = None
    production_date: DateIn | None = None
    serials: list[str] = Field(default_factory=list, description="Serial-tracked items: one per unit")
    location: str | None = Field(None, description="A bin in the order's destination (default: the receipt's)")
    barcode: str | None = Field(None, description="A scanned GTIN or GS1 element string (\\u001d as FNC1)")
    unit_cost: DecimalIn | None = Field(None, description="The supplier's invoiced cost of one unit, in the order's "
                                                          "currency (default: the order's); where a difference "
                                                          "goes: PUT /costing/price-differences")

    def to_line(self, field: str) -> ReceiptLine:
        return parse_receipt_line(field, **self.model_dump())


class LandedCostIn(RequestModel):
    kind: str = Field(
        description="freight, duty, insurance or other", examples=["freight"], json_schema_extra=choices(LandedCostKind)
    )
    amount: DecimalIn
    currency: str | None = Field(None, description="Default: the receipt's currency")
    exchange_rate: DecimalIn | None = Field(None, description="Company currency per unit of `currency`")
    method: str = Field(
        "value", description="Allocate by value, quantity or weight", json_schema_extra=choices(AllocationMethod)
    )
    reference: str | None = Field(None, description="The invoice it came on")

    def to_cost(self, field: str) -> NewLandedCost:
        return parse_landed_cost(field, **self.model_dump())


def landed_costs(costs: list[LandedCostIn]) -> tuple[NewLandedCost, ...]:
    return tuple(cost.to_cost(f"landed_costs[{index}]") for index, cost in enumerate(costs))


class ReceiptIn(RequestModel):
    lines: list[ReceiptLineIn]
    location: str | None = Field(None, description="Where lines without their own location go (default: the "
                                                   "order's destination)")
    exchange_rate: DecimalIn | None = Field(None, description="Required when the order is not in the company "
                                                              "currency")
    delivery_reference: str | None = Field(None, description="The supplier's delivery note number")
    receipt_reference: str | None = Field(None, description="Default: the next GRN-000001")
    landed_costs: list[LandedCostIn] = Field(default_factory=list)
    effective_at: str | None = Field(None, description=EFFECTIVE_AT, examples=["2026-03-01T17:00:00Z"])

    def to_command(self, reference: str) -> ReceivePurchaseOrder:
        return ReceivePurchaseOrder(
            reference, lines=tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(self.lines)),
            location=self.location, exchange_rate=given_decimal(self.exchange_rate, "exchange_rate"),
            delivery_reference=self.delivery_reference, receipt_reference=self.receipt_reference,
            landed_costs=landed_costs(self.landed_costs),
            effective_at=read_moment(self.effective_at, "effective_at"),
        )


class LandedCostsIn(RequestModel):
    landed_costs: list[LandedCostIn]

    def to_command(self, receipt: str) -> AddLandedCosts:
        return AddLandedCosts(receipt, costs=landed_costs(self.landed_costs))


class ShareOut(ResponseModel):
    receipt_line_id: int
    sku: str
    amount: DecimalOut


class LandedCostOut(ResponseModel):
    id: int
    kind: str
    amount: DecimalOut
    currency: str
    exchange_rate: DecimalOut
    method: str
    reference: str | None
    created_at: datetime
    allocations: list[ShareOut]

    @classmethod
    def of(cls, cost: LandedCostView) -> LandedCostOut:
        fields = {name: value for name, value in cost.__dict__.items() if name != "allocations"}
        return cls(**fields, allocations=[ShareOut(**share.__dict__) for share in cost.allocations])


class ReceiptLineOut(ResponseModel):
    id: int
    line_no: int
    sku: str
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: DecimalOut
    unit_cost: DecimalOut = Field(description="In the order's currency")
    landed_cost: DecimalOut = Field(description="Allocated landed costs, in the company's currency")


class ReceiptOut(ResponseModel):
    reference: str
    purchase_order: str
    purchase_order_status: str
    supplier: str
    posting_id: int
    currency: str
    exchange_rate: DecimalOut
    company_currency: str
    delivery_reference: str | None
    created_at: datetime
    lines: list[ReceiptLineOut]
    landed_costs: list[LandedCostOut]

    @classmethod
    def of(cls, receipt: ReceiptView) -> ReceiptOut:
        fields = {name: value for name, value in receipt.__dict__.items() if name not in ("lines", "landed_costs")}
        return cls(
            **fields, lines=[ReceiptLineOut(**line.__dict__) for line in receipt.lines],
            landed_costs=[LandedCostOut.of(cost) for cost in receipt.landed_costs],
        )


class ReceiptList(ResponseModel):
    receipts: list[ReceiptOut]


class ScanIn(RequestModel):
    barcode: str = Field(description="As scanned: GTIN, GS1-128 / DataMatrix element string (\\u001d as FNC1, "
                                     "symbology identifier allowed) or the (AI)value form",
                         examples=["(01)09501101530003(17)270600(10)B-77"])


class ScanOut(ResponseModel):
    barcode: str
    sku: str | None = Field(description="The item with the scanned GTIN; null when the code carries none")
    gtin: str | None
    lot: str | None
    expiry_date: date | None
    production_date: date | None
    serial: str | None
    count: DecimalOut | None
    symbology: str | None
    elements: list[list[str]] = Field(description="Every element string as [AI, value]")

    @classmethod
    def of(cls, scan: ScanView) -> ScanOut:
        fields = {name: value for name, value in scan.__dict__.items() if name != "elements"}
        return cls(**fields, elements=[list(pair) for pair in scan.elements])
