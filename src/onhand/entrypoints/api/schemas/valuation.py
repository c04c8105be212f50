"""Costing methods and what stock is worth."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from onhand.entrypoints.api.schemas.common import DecimalOut, RequestModel, ResponseModel
from onhand.services.costing import ItemCosting
from onhand.services.valuation import PostingValuesView, ValuationReportView

METHODS = "fifo or moving_average (an item may also use specific_lot when it is lot-tracked)"


class CostingIn(RequestModel):
    method: str = Field(description=METHODS, examples=["fifo"])


class ItemCostingIn(RequestModel):
    method: str | None = Field(description=METHODS + "; null: follow the company's")


class CostingOut(ResponseModel):
    method: str


class ItemCostingOut(ResponseModel):
    sku: str
    method: str = Field(description="The method in force")
    own_method: str | None = Field(description="The item's own method; null: the company's")

    @classmethod
    def of(cls, costing: ItemCosting) -> ItemCostingOut:
        return cls(**costing.__dict__)


class ValuationLineOut(ResponseModel):
    sku: str
    location: str | None
    lot: str | None
    quantity: DecimalOut
    value: DecimalOut


class AgingBucketOut(ResponseModel):
    bucket: str = Field(description="Days since the units came in: 0-30, 31-60, 61-90, 91-180, 181+")
    quantity: DecimalOut
    value: DecimalOut


class ValuationReportOut(ResponseModel):
    at: datetime
    group_by: str
    currency: str
    lines: list[ValuationLineOut]
    total_quantity: DecimalOut
    total_value: DecimalOut = Field(description="Exact to 10⁻⁶ in the company's currency")
    aging: list[AgingBucketOut] | None = Field(None, description="With aging=1")

    @classmethod
    def of(cls, report: ValuationReportView, *, aging: bool = False) -> ValuationReportOut:
        lines = [ValuationLineOut(**ln.__dict__) for ln in report.lines]
        buckets = [AgingBucketOut(**b.__dict__) for b in report.aging] if aging else None
        return cls(**{**report.__dict__, "lines": lines, "aging": buckets})


class MoveValueOut(ResponseModel):
    move_id: int
    sku: str
    lot: str | None
    source: str
    destination: str
    quantity: DecimalOut
    role: str
    value: DecimalOut
    variance: DecimalOut
    basis: str


class PostingValuesOut(ResponseModel):
    posting_id: int
    currency: str
    moves: list[MoveValueOut]
    total_value: DecimalOut

    @classmethod
    def of(cls, view: PostingValuesView) -> PostingValuesOut:
        return cls(**{**view.__dict__, "moves": [MoveValueOut(**m.__dict__) for m in view.moves]})
