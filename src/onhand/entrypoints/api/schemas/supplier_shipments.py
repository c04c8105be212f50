"""Supplier shipments (ASNs): a purchase order's goods in transit, received or written off."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, StrictInt

from onhand.domain.calendar import parse_date
from onhand.domain.catalog.commands import given_decimal
from onhand.domain.purchasing.commands import (
    ReceiveSupplierShipment,
    ShipmentMoveLine,
    ShipPurchaseOrder,
    UpdateSupplierShipment,
    WriteOffSupplierShipment,
)
from onhand.domain.purchasing.views import SupplierShipmentView
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.api.schemas.common import (
    DateIn,
    DecimalIn,
    DecimalOut,
    QuantityIn,
    RequestModel,
    ResponseModel,
)
from onhand.entrypoints.api.schemas.receipts import LandedCostIn, LandedCostOut, ReceiptLineIn, landed_costs


class SupplierShipmentIn(RequestModel):
    lines: list[ReceiptLineIn] = Field(description="What the supplier shipped, as receipt lines without a location")
    transit: str | None = Field(None, description="A transit location (default: the company's only one)")
    container: str | None = None
    vessel: str | None = None
    carrier: str | None = None
    tracking: str | None = Field(None, description="Bill of lading or tracking number")
    eta: DateIn | None = Field(None, description="Expected arrival (default: the order's expected date)")
    exchange_rate: DecimalIn | None = Field(None, description="Required when the order is not in the company "
                                                              "currency")
    shipment_reference: str | None = Field(None, description="Default: the next ASN-000001")
    landed_costs: list[LandedCostIn] = Field(default_factory=list)
    note: str | None = None

    def to_command(self, reference: str) -> ShipPurchaseOrder:
        return ShipPurchaseOrder(
            reference, lines=tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(self.lines)),
            transit=self.transit, container=self.container, vessel=self.vessel, carrier=self.carrier,
            tracking=self.tracking, eta=parse_date(self.eta, "eta"),
            exchange_rate=given_decimal(self.exchange_rate, "exchange_rate"),
            shipment_reference=self.shipment_reference, landed_costs=landed_costs(self.landed_costs), note=self.note,
        )


class ShipmentMoveLineIn(RequestModel):
    line_no: StrictInt = Field(description="The purchase order line")
    quantity: QuantityIn
    lot: str | None = Field(None, description="Needed when several lots of the line are in transit")
    location: str | None = Field(None, description="Receiving: a bin inside the order's destination")

    def to_line(self, field: str) -> ShipmentMoveLine:
        return ShipmentMoveLine(self.line_no, parse_decimal(self.quantity, f"{field}.quantity"), self.lot,
                                self.location)


def _lines(lines: list[ShipmentMoveLineIn]) -> tuple[ShipmentMoveLine, ...]:
    return tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(lines))


class ShipmentReceiptIn(RequestModel):
    lines: list[ShipmentMoveLineIn] = Field(default_factory=list, description="Default: everything in transit")
    location: str | None = Field(None, description="Default: the order's destination")

    def to_command(self, reference: str) -> ReceiveSupplierShipment:
        return ReceiveSupplierShipment(reference, _lines(self.lines), location=self.location)


class ShipmentWriteOffIn(RequestModel):
    lines: list[ShipmentMoveLineIn] = Field(default_factory=list, description="Default: everything in transit")
    reason: str | None = Field(None, description="A reason code (default: lost_in_transit)")
    note: str | None = None

    def to_command(self, reference: str) -> WriteOffSupplierShipment:
        return WriteOffSupplierShipment(reference, _lines(self.lines), reason=self.reason, note=self.note)


class SupplierShipmentPatch(RequestModel):
    eta: DateIn | None = None
    container: str | None = None
    vessel: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    note: str | None = None

    def to_command(self, reference: str) -> UpdateSupplierShipment:
        return UpdateSupplierShipment(reference, eta=parse_date(self.eta, "eta"), container=self.container,
                                      vessel=self.vessel, carrier=self.carrier, tracking=self.tracking,
                                      note=self.note)


class SupplierShipmentLineOut(ResponseModel):
    line_no: int
    sku: str
    lot: str | None
    shipped: DecimalOut
    received: DecimalOut
    written_off: DecimalOut
    in_transit: DecimalOut
    unit_cost: DecimalOut


class SupplierShipmentOut(ResponseModel):
    reference: str
    purchase_order: str
    supplier: str
    status: str
    receipt: str = Field(description="The receipt into transit; landed costs are added to it")
    transit: str
    destination: str
    container: str | None
    vessel: str | None
    carrier: str | None
    tracking: str | None
    eta: date | None
    note: str | None
    created_at: datetime
    lines: list[SupplierShipmentLineOut]
    landed_costs: list[LandedCostOut]

    @classmethod
    def of(cls, view: SupplierShipmentView) -> SupplierShipmentOut:
        fields = {name: value for name, value in view.__dict__.items() if name not in ("lines", "landed_costs")}
        return cls(**fields, lines=[SupplierShipmentLineOut(**line.__dict__) for line in view.lines],
                   landed_costs=[LandedCostOut.of(cost) for cost in view.landed_costs])


class SupplierShipmentList(ResponseModel):
    shipments: list[SupplierShipmentOut]
