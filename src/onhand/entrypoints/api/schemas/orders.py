"""Sales orders: what a new or changed order says, and how an order reads back.

An order line reads as its quantities (ordered, reserved, picked, shipped, returned,
backordered, open) and the reservations behind them (location, lot, expiry, quantity,
picked); the order carries its shipments and packages.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, StrictBool

from onhand.domain.calendar import parse_date
from onhand.domain.orders.commands import Address, CreateOrder, NewOrderLine, UpdateOrder, parse_order_line
from onhand.domain.quantities import optional_decimal
from onhand.entrypoints.api.schemas.common import (
    DateIn,
    DecimalIn,
    DecimalOut,
    Degrees,
    QuantityIn,
    RequestModel,
    ResponseModel,
)
from onhand.services.orders.views import (
    OrderLineView,
    PackageView,
    ReservationView,
    ReturnView,
    SalesOrderView,
    ShipmentLineView,
    ShipmentView,
    ShipTo,
)


class ShipToModel(RequestModel):
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = Field(None, examples=["NJ"])
    postcode: str | None = Field(None, examples=["07102"])
    country: str | None = Field(None, description="ISO 3166 alpha-2", examples=["US"])
    latitude: Degrees | None = None
    longitude: Degrees | None = None

    def to_address(self) -> Address:
        return Address(**self.model_dump())

    @classmethod
    def of(cls, ship_to: ShipTo) -> ShipToModel:
        return cls(**ship_to.__dict__)


class OrderLineIn(RequestModel):
    sku: str = Field(examples=["TEA-1"])
    quantity: QuantityIn
    unit_price: DecimalIn = Field("0", description="Price of one unit in the order's currency")
    lot: str | None = Field(None, description="A lot the customer asked for (lot-tracked items)")
    location: str | None = Field(None, description="Ship this line from here, whatever routing says")

    def to_line(self, field: str) -> NewOrderLine:
        return parse_order_line(
            field, sku=self.sku, quantity=self.quantity, unit_price=self.unit_price, lot=self.lot,
            location=self.location,
        )


def order_lines(lines: list[OrderLineIn] | None) -> tuple[NewOrderLine, ...] | None:
    if lines is None:
        return None
    return tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(lines))


class OrderIn(RequestModel):
    """A new order. The same `channel` and `external_id` again return the order already made."""

    lines: list[OrderLineIn]
    reference: str | None = Field(None, description="Default: the next SO-000001", examples=["SO-1001"])
    channel: str = Field("manual", examples=["shopify"])
    external_id: str | None = Field(None, description="The order's id in its channel", examples=["1001"])
    customer: str | None = Field(None, description="A customer's code or name; a new name makes a new customer",
                                 examples=["Alice Smith"])
    customer_email: str | None = Field(None, max_length=200, description="Tells customers of one name apart; "
                                       "kept on a customer this order makes")
    customer_external_id: str | None = Field(None, max_length=100,
                                             description="The customer's id in the order's channel")
    ship_to: ShipToModel | None = None
    currency: str | None = Field(None, description="Default: the company's currency", examples=["USD"])
    exchange_rate: DecimalIn | None = Field(
        None, description="Company currency per unit of `currency`: required when the order is not in the "
        "company's currency (its revenue is journaled at it); omitted or 1 otherwise", examples=["1.25"])
    requested_ship_date: DateIn | None = Field(None, description="Default: today")
    allocate: StrictBool = Field(False, description="Allocate the new order in the same request: what stock there is "
                           "is reserved, the rest backordered (as `POST /orders/{reference}/allocate`)")

    def to_command(self) -> CreateOrder:
        return CreateOrder(
            lines=order_lines(self.lines) or (), reference=self.reference, channel=self.channel,
            external_id=self.external_id, customer=self.customer, customer_email=self.customer_email,
            customer_external_id=self.customer_external_id,
            ship_to=self.ship_to.to_address() if self.ship_to else None, currency=self.currency,
            exchange_rate=optional_decimal(self.exchange_rate, "exchange_rate"),
            requested_ship_date=parse_date(self.requested_ship_date, "requested_ship_date"), allocate=self.allocate,
        )


class OrderPatch(RequestModel):
    """Change an order that has shipped nothing. Absent or null fields stay as they are;
    `lines` replace all lines; `ship_to` replaces the whole address; `"customer": ""` clears it."""

    lines: list[OrderLineIn] | None = None
    customer: str | None = None
    ship_to: ShipToModel | None = None
    requested_ship_date: DateIn | None = None
    exchange_rate: DecimalIn | None = Field(None, description="Company currency per unit of the order's currency")

    def to_command(self, reference: str) -> UpdateOrder:
        return UpdateOrder(
            reference=reference, lines=order_lines(self.lines), customer=self.customer,
            ship_to=self.ship_to.to_address() if self.ship_to else None,
            requested_ship_date=parse_date(self.requested_ship_date, "requested_ship_date"),
            exchange_rate=optional_decimal(self.exchange_rate, "exchange_rate"),
        )


class LineLocationIn(RequestModel):
    location: str = Field(description="Ship the line from here (a sellable internal location)",
                          examples=["LA"])


class ReservationOut(ResponseModel):
    id: int
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: DecimalOut
    picked: DecimalOut

    @classmethod
    def of(cls, reservation: ReservationView) -> ReservationOut:
        return cls(**reservation.__dict__)


class OrderLineOut(ResponseModel):
    line_no: int
    sku: str
    quantity: DecimalOut
    unit_price: DecimalOut
    lot: str | None = Field(description="The lot asked for, if any")
    location: str | None = Field(description="The location chosen for this line, if any")
    reserved: DecimalOut
    picked: DecimalOut
    shipped: DecimalOut
    returned: DecimalOut
    backordered: DecimalOut
    open: DecimalOut = Field(description="Still to be shipped")
    reservations: list[ReservationOut]
    kit_line_no: int | None = Field(
        description="On a bundle's component line: the bundle's line, whose figures count whole bundles"
    )

    @classmethod
    def of(cls, line: OrderLineView) -> OrderLineOut:
        return cls(
            **{name: value for name, value in line.__dict__.items() if name != "reservations"},
            reservations=[ReservationOut.of(r) for r in line.reservations],
        )


class ShipmentLineOut(ResponseModel):
    line_no: int
    sku: str
    location: str
    lot: str | None
    quantity: DecimalOut

    @classmethod
    def of(cls, line: ShipmentLineView) -> ShipmentLineOut:
        return cls(**line.__dict__)


class ShipmentOut(ResponseModel):
    id: int
    posting_id: int
    created_at: datetime
    lines: list[ShipmentLineOut]

    @classmethod
    def of(cls, shipment: ShipmentView) -> ShipmentOut:
        return cls(
            id=shipment.id, posting_id=shipment.posting_id, created_at=shipment.created_at,
            lines=[ShipmentLineOut.of(line) for line in shipment.lines],
        )


class PackageContentOut(ResponseModel):
    line_no: int
    quantity: DecimalOut


class PackageOut(ResponseModel):
    id: int
    carrier: str | None
    tracking_number: str | None
    weight_kg: DecimalOut | None
    dimensions_cm: list[DecimalOut] | None = Field(description="Length, width, height")
    shipment_id: int | None = Field(description="The shipment it left with; null while not shipped")
    contents: list[PackageContentOut]

    @classmethod
    def of(cls, package: PackageView) -> PackageOut:
        sizes = [size for size in (package.length_cm, package.width_cm, package.height_cm) if size is not None]
        return cls(
            id=package.id, carrier=package.carrier, tracking_number=package.tracking_number,
            weight_kg=package.weight_kg, dimensions_cm=sizes if len(sizes) == 3 else None,
            shipment_id=package.shipment_id,
            contents=[PackageContentOut(line_no=no, quantity=q) for no, q in package.contents],
        )


class ReturnLineOut(ResponseModel):
    line_no: int
    sku: str
    location: str = Field(description="Where the goods were put")
    lot: str | None
    quantity: DecimalOut
    reason: str
    condition: str
    refund_unit_price: DecimalOut | None = Field(
        description="Refunded per unit in the order's currency; null: the default (the line's price; on a "
        "bundle's component, its share of the bundle's price, by cost)")


class ReturnOut(ResponseModel):
    reference: str = Field(description="The RMA number")
    posting_id: int
    created_at: datetime
    lines: list[ReturnLineOut]

    @classmethod
    def of(cls, record: ReturnView) -> ReturnOut:
        return cls(
            reference=record.reference, posting_id=record.posting_id, created_at=record.created_at,
            lines=[ReturnLineOut(**line.__dict__) for line in record.lines],
        )


class OrderOut(ResponseModel):
    reference: str
    channel: str
    external_id: str | None
    customer: str | None
    customer_code: str | None = Field(description="The customer's record (GET /customers/{code})")
    ship_to: ShipToModel
    currency: str
    exchange_rate: DecimalOut | None = Field(
        description="Company currency per unit of `currency` (null: an older foreign-currency order without one)")
    requested_ship_date: date
    status: str = Field(description="open, backordered, allocated, partially_shipped, shipped or cancelled")
    routing_note: str | None = Field(description="Why the order was routed where it was")
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    lines: list[OrderLineOut]
    shipments: list[ShipmentOut]
    packages: list[PackageOut]
    returns: list[ReturnOut]

    @classmethod
    def of(cls, order: SalesOrderView) -> OrderOut:
        return cls(
            reference=order.reference, channel=order.channel, external_id=order.external_id,
            customer=order.customer, customer_code=order.customer_code,
            ship_to=ShipToModel.of(order.ship_to), currency=order.currency, exchange_rate=order.exchange_rate,
            requested_ship_date=order.requested_ship_date, status=order.status,
            routing_note=order.routing_note, created_at=order.created_at, updated_at=order.updated_at,
            cancelled_at=order.cancelled_at,
            lines=[OrderLineOut.of(line) for line in order.lines],
            shipments=[ShipmentOut.of(s) for s in order.shipments],
            packages=[PackageOut.of(p) for p in order.packages],
            returns=[ReturnOut.of(r) for r in order.returns],
        )


class OrderList(ResponseModel):
    orders: list[OrderOut]
