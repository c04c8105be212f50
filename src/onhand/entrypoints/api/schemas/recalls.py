"""Recalls: what starting one takes, and how a recall, its lots and the orders it left short read back."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from onhand.domain.traceability.commands import LotRef, RecallLots
from onhand.entrypoints.api.schemas.common import DecimalOut, RequestModel, ResponseModel
from onhand.entrypoints.api.schemas.traceability import LotRefModel
from onhand.services.traceability.views import RecallView


class RecallIn(RequestModel):
    """Name lots (`lots`), a supplier's batch (`supplier_lot`), or both."""

    lots: list[LotRefModel] = Field(default_factory=list, max_length=100)
    supplier_lot: str | None = Field(None, max_length=64)
    status: str = Field("recalled", description="recalled or quarantined", max_length=20)
    quarantine_location: str | None = Field(
        None, max_length=200, description="Move the stock on hand here (a non-sellable internal location)")
    reference: str | None = Field(None, max_length=64, description="Default: the next RC-000001")
    note: str | None = Field(None, max_length=2000)

    def to_command(self) -> RecallLots:
        return RecallLots(
            lots=tuple(LotRef(r.sku, r.lot) for r in self.lots), supplier_lot=self.supplier_lot,
            status=self.status, quarantine_location=self.quarantine_location, reference=self.reference,
            note=self.note,
        )


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
