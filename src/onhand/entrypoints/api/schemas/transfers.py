"""Transfer orders: what a new or changed transfer says, what a shipment, receipt or
write-off takes, and how a transfer reads back (lines with their lots, and events)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, StrictInt

from onhand.domain.transfers.commands import (
    NewTransferLine,
    TransferMoveLine,
    parse_transfer_line,
    parse_transfer_move_line,
)
from onhand.domain.transfers.transfer_orders import LOST_IN_TRANSIT
from onhand.entrypoints.api.schemas.common import DateIn, DecimalOut, QuantityIn, RequestModel, ResponseModel
from onhand.services.transfers.views import (
    TransferEventView,
    TransferLineView,
    TransferRoute,
    TransferView,
)


class TransferLineIn(RequestModel):
    sku: str = Field(examples=["MUG-12OZ"])
    quantity: QuantityIn
    lot: str | None = Field(None, description="Send this lot; otherwise shipping chooses (FEFO)")

    def to_line(self, field: str) -> NewTransferLine:
        return parse_transfer_line(field, sku=self.sku, quantity=self.quantity, lot=self.lot)


def transfer_lines(lines: list[TransferLineIn] | None) -> tuple[NewTransferLine, ...] | None:
    return tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(lines)) if lines is not None else None


class TransferIn(RequestModel):
    source: str = Field(examples=["NY"])
    destination: str = Field(examples=["LA"])
    lines: list[TransferLineIn]
    transit: str | None = Field(
        None, description="A location of kind transit. Default: the route's, else the only one", examples=["OCEAN-1"]
    )
    reference: str | None = Field(None, description="Default: the next TO-000001")
    expected_date: DateIn | None = Field(None, description="Expected arrival. Default: today + the route's lead time")
    carrier: str | None = None
    tracking_number: str | None = None
    note: str | None = None


class TransferPatch(RequestModel):
    """Absent or null fields stay as they are; `lines` (replacing all lines) and `transit`
    only while draft; `"carrier": ""` clears it."""

    lines: list[TransferLineIn] | None = None
    transit: str | None = None
    expected_date: DateIn | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    note: str | None = None


class TransferMoveLineIn(RequestModel):
    line_no: StrictInt = Field(ge=1, le=2**31 - 1)
    quantity: QuantityIn
    lot: str | None = Field(None, description="Shipping: take this lot; receiving: the lot that arrived")
    location: str | None = Field(
        None, description="Shipping: a bin inside the source; receiving: one inside the destination"
    )

    def to_line(self, field: str) -> TransferMoveLine:
        return parse_transfer_move_line(field, line_no=self.line_no, quantity=self.quantity, lot=self.lot,
                                        location=self.location)


def move_lines(lines: list[TransferMoveLineIn] | None) -> tuple[TransferMoveLine, ...] | None:
    return tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(lines)) if lines is not None else None


class ShipIn(RequestModel):
    lines: list[TransferMoveLineIn] | None = Field(None, description="Default: everything left to ship")


class ReceiveIn(RequestModel):
    lines: list[TransferMoveLineIn] | None = Field(None, description="Default: everything in transit")
    location: str | None = Field(None, description="Put it here (a bin inside the destination)")


class WriteOffIn(RequestModel):
    lines: list[TransferMoveLineIn] | None = Field(None, description="Default: everything in transit")
    reason: str = Field(LOST_IN_TRANSIT, description="A reason code")
    note: str | None = None


class TransferLotOut(ResponseModel):
    lot: str | None
    shipped: DecimalOut
    received: DecimalOut
    written_off: DecimalOut
    in_transit: DecimalOut


class TransferLineOut(ResponseModel):
    line_no: int
    sku: str
    lot: str | None = Field(description="The lot asked for, if any")
    quantity: DecimalOut
    shipped: DecimalOut
    received: DecimalOut
    written_off: DecimalOut
    in_transit: DecimalOut
    to_ship: DecimalOut
    lots: list[TransferLotOut]

    @classmethod
    def of(cls, line: TransferLineView) -> TransferLineOut:
        values = {name: value for name, value in line.__dict__.items() if name != "lots"}
        return cls(**values, lots=[TransferLotOut(**lot.__dict__) for lot in line.lots])


class TransferEventLineOut(ResponseModel):
    line_no: int
    sku: str
    lot: str | None
    location: str
    quantity: DecimalOut


class TransferEventOut(ResponseModel):
    id: int
    kind: str = Field(description="shipment, receipt or write_off")
    posting_id: int
    created_at: datetime
    lines: list[TransferEventLineOut]

    @classmethod
    def of(cls, event: TransferEventView) -> TransferEventOut:
        return cls(
            id=event.id, kind=event.kind, posting_id=event.posting_id, created_at=event.created_at,
            lines=[TransferEventLineOut(**line.__dict__) for line in event.lines],
        )


class TransferOut(ResponseModel):
    reference: str
    status: str = Field(description="draft, in_transit, partially_received, received, closed, cancelled")
    source: str
    destination: str
    transit: str
    expected_date: date | None
    carrier: str | None
    tracking_number: str | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    cancelled_at: datetime | None
    lines: list[TransferLineOut]
    events: list[TransferEventOut]

    @classmethod
    def of(cls, view: TransferView) -> TransferOut:
        skip = {"id", "lines", "events"}
        return cls(
            **{name: value for name, value in view.__dict__.items() if name not in skip},
            lines=[TransferLineOut.of(line) for line in view.lines],
            events=[TransferEventOut.of(event) for event in view.events],
        )


class TransferList(ResponseModel):
    transfers: list[TransferOut]


class RouteIn(RequestModel):
    source: str = Field(examples=["NY"])
    destination: str = Field(examples=["LA"])
    transit: str = Field(examples=["OCEAN-1"])
    lead_time_days: StrictInt | None = Field(None, ge=0, le=3650)


class RouteOut(ResponseModel):
    source: str
    destination: str
    transit: str
    lead_time_days: int | None

    @classmethod
    def of(cls, route: TransferRoute) -> RouteOut:
        return cls(**route.__dict__)


class RouteList(ResponseModel):
    routes: list[RouteOut]
