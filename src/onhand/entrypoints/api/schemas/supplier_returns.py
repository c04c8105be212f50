"""Returns to supplier: received units of a purchase order sent back."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictInt

from onhand.domain.purchasing.commands import ReturnToSupplier, SupplierReturnLine, parse_supplier_return_line
from onhand.entrypoints.api.schemas.common import DecimalOut, QuantityIn, RequestModel, ResponseModel
from onhand.services.purchasing.views import SupplierReturnView


class SupplierReturnLineIn(RequestModel):
    line_no: StrictInt = Field(description="The purchase order line the units were received on")
    quantity: QuantityIn
    lot: str | None = Field(None, description="Lot or serial as received (default: any received on the line)")
    location: str | None = Field(None, description="Where it was received (default: wherever it was received)")

    def to_line(self, field: str) -> SupplierReturnLine:
        return parse_supplier_return_line(field, **self.model_dump())


class SupplierReturnIn(RequestModel):
    lines: list[SupplierReturnLineIn]
    authorisation: str | None = Field(None, description="The supplier's return authorisation (RMA) number")
    note: str | None = None
    return_reference: str | None = Field(None, description="Default: the next RTS-000001")

    def to_command(self, reference: str) -> ReturnToSupplier:
        return ReturnToSupplier(
            reference, lines=tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(self.lines)),
            authorisation=self.authorisation, note=self.note, return_reference=self.return_reference,
        )


class SupplierReturnLineOut(ResponseModel):
    line_no: int
    sku: str
    location: str
    lot: str | None
    quantity: DecimalOut


class SupplierReturnOut(ResponseModel):
    reference: str
    purchase_order: str
    supplier: str
    posting_id: int
    authorisation: str | None
    note: str | None
    created_at: datetime
    lines: list[SupplierReturnLineOut]
    company_currency: str
    value: DecimalOut = Field(description="What the units took out of the cost layers, in the company's currency")

    @classmethod
    def of(cls, view: SupplierReturnView) -> SupplierReturnOut:
        fields = {name: value for name, value in view.__dict__.items() if name != "lines"}
        return cls(**fields, lines=[SupplierReturnLineOut(**line.__dict__) for line in view.lines])


class SupplierReturnList(ResponseModel):
    returns: list[SupplierReturnOut]
