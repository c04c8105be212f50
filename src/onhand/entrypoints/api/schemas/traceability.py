"""Customers, traces, recall reports and recalls, as the API takes and gives them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from onhand.domain.orders.customers import Customer, CustomerAddress
from onhand.entrypoints.api.schemas.common import DecimalOut, RequestModel, ResponseModel
from onhand.services.reports.expiry import ExpiringStock
from onhand.services.traceability.lot_search import FoundLot
from onhand.services.traceability.views import (
    BackwardTrace,
    ForwardTrace,
    RecallReport,
    RecallView,
)


class AddressModel(RequestModel):
    label: str = Field("default", max_length=40, examples=["shipping"])
    name: str | None = Field(None, max_length=200)
    line1: str | None = Field(None, max_length=200)
    line2: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    region: str | None = Field(None, max_length=100)
    postcode: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=2, examples=["US"])

    def to_address(self) -> CustomerAddress:
        return CustomerAddress(**self.model_dump())


class ChannelIdModel(RequestModel):
    channel: str = Field(max_length=32, examples=["shopify"])
    external_id: str = Field(max_length=100, examples=["7781"])


class CustomerIn(RequestModel):
    name: str = Field(max_length=200, examples=["Alice Smith"])
    code: str | None = Field(None, max_length=64, description="Default: the next C-000001")
    email: str | None = Field(None, max_length=200, examples=["alice@example.com"])
    phone: str | None = Field(None, max_length=50)
    addresses: list[AddressModel] = Field(default_factory=list, max_length=20)
    channel_ids: list[ChannelIdModel] = Field(default_factory=list, max_length=20)


class CustomerPatch(RequestModel):
    """Absent or null fields stay; `"email": ""` clears it; `addresses` replace all; `channel_ids` are added."""

    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=50)
    addresses: list[AddressModel] | None = Field(None, max_length=20)
    channel_ids: list[ChannelIdModel] = Field(default_factory=list, max_length=20)


class AddressOut(ResponseModel):
    label: str
    name: str | None
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postcode: str | None
    country: str | None


class ChannelIdOut(ResponseModel):
    channel: str
    external_id: str


class CustomerOut(ResponseModel):
    code: str
    name: str
    email: str | None
    phone: str | None
    addresses: list[AddressOut]
    channel_ids: list[ChannelIdOut]

    @classmethod
    def of(cls, c: Customer) -> CustomerOut:
        return cls(code=c.code, name=c.name, email=c.email, phone=c.phone,
                   addresses=[AddressOut(**a.__dict__) for a in c.addresses],
                   channel_ids=[ChannelIdOut(**i.__dict__) for i in c.channel_ids])


class CustomerList(ResponseModel):
    customers: list[CustomerOut]


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


class RecallIn(RequestModel):
    """Name lots (`lots`), a supplier's batch (`supplier_lot`), or both."""

    lots: list[LotRefModel] = Field(default_factory=list, max_length=100)
    supplier_lot: str | None = Field(None, max_length=64)
    status: str = Field("recalled", description="recalled or quarantined", max_length=20)
    quarantine_location: str | None = Field(
        None, max_length=200, description="Move the stock on hand here (a non-sellable internal location)")
    reference: str | None = Field(None, max_length=64, description="Default: the next RC-000001")
    note: str | None = Field(None, max_length=2000)


class RecalledLotOut(ResponseModel):
    sku: str
    lot: str
    depth: int
    previous_status: str
    status: str


class ShortLineOut(ResponseModel):
    order: str
    line_no: int
    sku: str
    backordered: DecimalOut


class RecallOut(ResponseModel):
    reference: str
    status: str
    note: str | None
    created_at: datetime
    released_at: datetime | None
    quarantine_location: str | None
    quarantine_posting_id: int | None
    release_posting_id: int | None
    lots: list[RecalledLotOut]
    short: list[ShortLineOut]

    @classmethod
    def of(cls, recall: RecallView) -> RecallOut:
        return cls.model_validate(recall, from_attributes=True)


class RecallList(ResponseModel):
    recalls: list[RecallOut]


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
