"""Fulfilling an order: the pick list, confirmed picks, packages, shipments and returns."""

from __future__ import annotations

from datetime import date

from pydantic import Field, StrictInt

from onhand.domain.orders.commands import (
    PackageSpec,
    PickConfirmation,
    ReturnLine,
    ShipLine,
    parse_customer_return_line,
    parse_package,
    parse_pick,
    parse_ship_line,
)
from onhand.entrypoints.api.schemas.common import (
    DecimalIn,
    DecimalOut,
    QuantityIn,
    RequestModel,
    ResponseModel,
    choices,
)
from onhand.services.orders.picking import PickLine, PickList, PickSite
from onhand.services.orders.returns import Condition
from onhand.services.orders.waves import WaveResult


class PickLineOut(ResponseModel):
    reservation_id: int
    line_no: int
    sku: str
    location: str
    lot: str | None
    expiry_date: date | None
    quantity: DecimalOut = Field(description="Still to pick")

    @classmethod
    def of(cls, line: PickLine) -> PickLineOut:
        return cls(**line.__dict__)


class PickSiteOut(ResponseModel):
    site: str
    lines: list[PickLineOut] = Field(description="Bins in walking order, then by code")

    @classmethod
    def of(cls, site: PickSite) -> PickSiteOut:
        return cls(site=site.site, lines=[PickLineOut.of(line) for line in site.lines])


class PickListOut(ResponseModel):
    order: str
    sites: list[PickSiteOut]

    @classmethod
    def of(cls, pick_list: PickList) -> PickListOut:
        return cls(order=pick_list.order, sites=[PickSiteOut.of(site) for site in pick_list.sites])


class PickIn(RequestModel):
    sku: str | None = Field(None, examples=["HONEY"], description="May be left out when `barcode` names the item")
    location: str = Field(description="Where it was picked", examples=["NY-A1"])
    quantity: QuantityIn | None = Field(None, description="Default with a barcode: its count (AI 30/37), else 1")
    lot: str | None = Field(None, description="The lot or serial picked (may differ from the suggested one)")
    barcode: str | None = Field(
        None, description="A scanned GTIN or GS1 element string; gives the item, lot or serial and count",
        examples=["(01)09506000134352(17)270131(10)H-LATE"],
    )

    def to_pick(self, field: str) -> PickConfirmation:
        return parse_pick(
            field, sku=self.sku, location=self.location, quantity=self.quantity, lot=self.lot, barcode=self.barcode
        )


class PicksIn(RequestModel):
    picks: list[PickIn]


class PackageContentIn(RequestModel):
    line_no: StrictInt
    quantity: QuantityIn


class PackageIn(RequestModel):
    contents: list[PackageContentIn]
    carrier: str | None = Field(None, examples=["UPS"])
    tracking_number: str | None = None
    weight_kg: DecimalIn | None = None
    dimensions_cm: list[DecimalIn] | None = Field(None, description="[length, width, height]")

    def to_spec(self, field: str) -> PackageSpec:
        return parse_package(
            field, contents=tuple((c.line_no, c.quantity) for c in self.contents),
            carrier=self.carrier, tracking_number=self.tracking_number, weight_kg=self.weight_kg,
            dimensions_cm=tuple(self.dimensions_cm or ()),
        )


class PackagesIn(RequestModel):
    packages: list[PackageIn]


class ShipLineIn(RequestModel):
    line_no: StrictInt
    quantity: QuantityIn
    serials: list[str] = Field(
        default_factory=list,
        description="Serial-tracked lines: the serials that leave (each reserved for the line), confirming them",
    )

    def to_line(self, field: str) -> ShipLine:
        return parse_ship_line(field, line_no=self.line_no, quantity=self.quantity, serials=self.serials)


class ShipmentIn(RequestModel):
    """Without `lines`: the packed packages not yet shipped, else everything picked, else
    everything reserved."""

    lines: list[ShipLineIn] | None = None


class ReturnLineIn(RequestModel):
    line_no: StrictInt
    quantity: QuantityIn
    reason: str = Field("customer_return", description="A reason code", examples=["defective"])
    condition: str = Field("new", description="new, opened, damaged or defective", json_schema_extra=choices(Condition))
    lot: str | None = Field(None, description="The lot that came back (lot-tracked items)")
    refund_unit_price: DecimalIn | None = Field(
        None, description="Refunded per unit, in the order's currency (0: no refund). Default: the line's "
        "price; on a bundle's components, the kits the return breaks × the bundle's price", examples=["8.50"])

    def to_line(self, field: str) -> ReturnLine:
        return parse_customer_return_line(
            field, line_no=self.line_no, quantity=self.quantity, reason=self.reason, condition=self.condition,
            lot=self.lot, refund_unit_price=self.refund_unit_price,
        )


class ReturnIn(RequestModel):
    location: str = Field(description="Where the goods are received: stock, or a returns bin",
                          examples=["NY-RETURNS"])
    lines: list[ReturnLineIn]
    return_reference: str | None = Field(None, description="Default: the next RMA-000001")


class WaveIn(RequestModel):
    references: list[str] = Field(description="The orders of the wave (up to 1,000); handled oldest first",
                                  examples=[["SO-000101", "SO-000102"]])


class WaveOrderOut(ResponseModel):
    reference: str
    status: str = Field(description="The order's status after the wave")
    shipped: bool = Field(description="A shipment left in this wave")
    note: str = Field(description="The routing note, or why the order was skipped")


class WaveOut(ResponseModel):
    orders: list[WaveOrderOut] = Field(description="Oldest first")
    shipped: int
    waiting: int = Field(description="Allocated as far as stock allows, not shipped")
    skipped: int = Field(description="Not active (shipped or cancelled before the wave)")

    @classmethod
    def of(cls, result: WaveResult) -> WaveOut:
        return cls(
            orders=[WaveOrderOut(**order.__dict__) for order in result.orders],
            shipped=len(result.shipped), waiting=len(result.waiting), skipped=len(result.skipped),
        )
