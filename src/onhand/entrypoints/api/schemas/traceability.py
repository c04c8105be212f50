"""Traces both ways, the recall report, lots found by code and expiring stock, as the API takes and gives them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from onhand.entrypoints.api.schemas.common import DecimalOut, RequestModel, ResponseModel
from onhand.services.reports.expiry import ExpiringStock
from onhand.services.traceability.lot_search import FoundLot
from onhand.services.traceability.views import (
    BackwardTrace,
    ForwardTrace,
    RecallReport,
)


class LotRefModel(ResponseModel):
    sku: str
    lot: str


class HoldingOut(ResponseModel):
    sku: str
    lot: str
    quantity: DecimalOut


class TracedLotOut(ResponseModel):
    sku: str
    item_name: str
    unit: str
    lot: str
    status: str
    expiry_date: date | None
    supplier_lot: str | None
    depth: int
    holds: list[HoldingOut]


class BuildLinkOut(ResponseModel):
    sku: str
    lot: str
    component_sku: str
    component_lot: str | None
    quantity: DecimalOut


class ShipToOut(ResponseModel):
    name: str | None
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postcode: str | None
    country: str | None


class DeliveryOut(ResponseModel):
    kind: str = Field(description="shipment or return")
    at: datetime
    document: str = Field(description="The shipment's id, or the return's reference")
    order: str
    line_no: int
    channel: str
    customer_code: str | None
    customer: str | None
    email: str | None
    ship_to: ShipToOut
    sku: str
    lot: str
    location: str
    quantity: DecimalOut
    holds: list[HoldingOut]


class ReceiptOut(ResponseModel):
    at: datetime
    receipt: str
    delivery_reference: str | None
    purchase_order: str
    supplier_reference: str | None
    supplier_code: str
    supplier: str
    sku: str
    lot: str
    supplier_lot: str | None
    location: str
    quantity: DecimalOut


class SupplierReturnOut(ResponseModel):
    at: datetime
    reference: str
    purchase_order: str
    supplier_code: str
    supplier: str
    sku: str
    lot: str
    location: str
    quantity: DecimalOut


class MovementOut(ResponseModel):
    posting_id: int
    kind: str
    reference: str | None
    at: datetime
    sku: str
    lot: str
    source: str
    destination: str
    quantity: DecimalOut


class StockHeldOut(ResponseModel):
    sku: str
    lot: str
    depth: int
    location: str
    location_kind: str
    in_transit: bool
    on_hand: DecimalOut
    reserved: DecimalOut
    holds: list[HoldingOut]


class LotAccountOut(ResponseModel):
    sku: str
    lot: str
    received: DecimalOut
    found: DecimalOut
    with_customers: DecimalOut
    on_hand: DecimalOut
    in_transit: DecimalOut
    consumed: DecimalOut
    scrapped: DecimalOut
    lost: DecimalOut
    returned_to_supplier: DecimalOut
    inside_products_with_customers: DecimalOut
    inside_products_on_hand: DecimalOut
    inside_products_in_transit: DecimalOut
    inside_products_scrapped: DecimalOut


class ForwardTraceOut(ResponseModel):
    origins: list[LotRefModel]
    lots: list[TracedLotOut]
    builds: list[BuildLinkOut]
    movements: list[MovementOut]
    deliveries: list[DeliveryOut]
    supplier_returns: list[SupplierReturnOut]
    stock: list[StockHeldOut]
    accounts: list[LotAccountOut]

    @classmethod
    def of(cls, trace: ForwardTrace) -> ForwardTraceOut:
        return cls.model_validate(trace, from_attributes=True)


class BackwardTraceOut(ResponseModel):
    start: str
    lots: list[TracedLotOut]
    builds: list[BuildLinkOut]
    receipts: list[ReceiptOut]

    @classmethod
    def of(cls, trace: BackwardTrace) -> BackwardTraceOut:
        return cls.model_validate(trace, from_attributes=True)


class CustomerExposureOut(ResponseModel):
    customer_code: str | None
    customer: str | None
    email: str | None
    orders: list[str]
    sku: str
    lot: str
    direct: DecimalOut
    inside_products: DecimalOut
    total: DecimalOut
    first_shipped: datetime
    last_shipped: datetime


class RecallReportOut(ResponseModel):
    origins: list[LotRefModel]
    customers: list[CustomerExposureOut]
    trace: ForwardTraceOut

    @classmethod
    def of(cls, report: RecallReport) -> RecallReportOut:
        return cls.model_validate(report, from_attributes=True)


class FoundLotOut(ResponseModel):
    sku: str
    item_name: str
    lot: str
    status: str
    expiry_date: date | None
    supplier_lot: str | None

    @classmethod
    def of(cls, lot: FoundLot) -> FoundLotOut:
        return cls(**lot.__dict__)


class FoundLotList(ResponseModel):
    lots: list[FoundLotOut]


class SupplierLotIn(RequestModel):
    sku: str = Field(max_length=200)
    lot: str = Field(max_length=200)
    supplier_lot: str | None = Field(max_length=64, description="The supplier's batch number; null or \"\" clears it")


class ExpiringOut(ResponseModel):
    sku: str
    lot: str
    expiry_date: date
    days_left: int
    expired: bool
    status: str
    location: str
    on_hand: DecimalOut
    reserved: DecimalOut

    @classmethod
    def of(cls, row: ExpiringStock) -> ExpiringOut:
        return cls(**row.__dict__)


class ExpiringList(ResponseModel):
    stock: list[ExpiringOut]
