"""Suppliers and the prices they charge, as the API takes and gives them."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictInt

from onhand.domain.purchasing.commands import (
    CreateSupplier,
    SetSupplierPrice,
    UpdateSupplier,
    given_decimal,
    parse_tolerance,
)
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.api.schemas.common import DecimalIn, DecimalOut, QuantityIn, RequestModel, ResponseModel
from onhand.services.purchasing.views import SupplierPriceView, SupplierView

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
