"""Receipts against purchase orders, their landed costs, and scanned barcodes, as the API takes and gives them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, StrictInt

from onhand.domain.calendar import read_moment
from onhand.domain.purchasing.commands import (
    AddLandedCosts,
    NewLandedCost,
    ReceiptLine,
    ReceivePurchaseOrder,
    given_decimal,
    parse_landed_cost,
    parse_receipt_line,
)
from onhand.domain.purchasing.landed_costs import AllocationMethod, LandedCostKind
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
from onhand.services.purchasing.views import LandedCostView, ReceiptView


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
