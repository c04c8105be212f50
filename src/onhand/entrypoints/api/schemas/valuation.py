"""Costing methods and what stock is worth."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from onhand.domain.quantities import parse_decimal
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.price_differences import PriceDifferences
from onhand.entrypoints.api.schemas.common import DecimalIn, DecimalOut, RequestModel, ResponseModel, choices
from onhand.services.valuation.costing_methods import CostingChangeView, ItemCosting
from onhand.services.valuation.opening import OpeningCost, OpeningValuationView, UnvaluedStock
from onhand.services.valuation.reports import PostingValuesView, ValuationReportView

METHODS = ("fifo, lifo (US GAAP only; IFRS does not allow it) or moving_average (an item may also use "
           "specific_lot when it is lot-tracked)")


class CostingIn(RequestModel):
    method: str = Field(description=METHODS, examples=["fifo"], json_schema_extra=choices(CostingMethod))


class ItemCostingIn(RequestModel):
    method: str | None = Field(
        description=METHODS + "; null: follow the company's",
        json_schema_extra={"enum": [*choices(CostingMethod)["enum"], None]},
    )


class CostingOut(ResponseModel):
    method: str


class PriceDifferencesIn(RequestModel):
    choice: str = Field(description="to_stock: a receipt at another unit cost than its order's puts the invoiced "
                                    "cost in its layers; variance: the layers keep the order's cost and the "
                                    "difference goes to the purchase price variance account",
                        examples=["to_stock"], json_schema_extra=choices(PriceDifferences))


class PriceDifferencesOut(ResponseModel):
    choice: str


class ItemCostingOut(ResponseModel):
    sku: str
    method: str = Field(description="The method in force")
    own_method: str | None = Field(description="The item's own method; null: the company's")

    @classmethod
    def of(cls, costing: ItemCosting) -> ItemCostingOut:
        return cls(**costing.__dict__)


class CostingChangeOut(ResponseModel):
    id: int
    sku: str | None = Field(description="The item whose own method changed; null: the company's method")
    method: str | None = Field(description="The method from then on; for an item, null: the company's")
    previous: str | None = Field(description="The setting before; for an item, null: it followed the company's")
    effective_at: datetime = Field(description="From this moment later moves are valued under the method")
    created_at: datetime

    @classmethod
    def of(cls, change: CostingChangeView) -> CostingChangeOut:
        return cls(**change.__dict__)


class CostingChangeList(ResponseModel):
    changes: list[CostingChangeOut]


class ValuationLineOut(ResponseModel):
    sku: str
    location: str | None
    lot: str | None
    quantity: DecimalOut
    value: DecimalOut


class UnvaluedOut(ResponseModel):
    sku: str
    location: str
    lot: str | None = Field(description="The pool's lot under specific_lot costing, else null (all lots)")
    on_hand: DecimalOut
    valued: DecimalOut = Field(description="What the cost layers hold (less units taken before valuation)")
    unvalued: DecimalOut

    @classmethod
    def of(cls, found: UnvaluedStock) -> UnvaluedOut:
        return cls(**found.__dict__, unvalued=found.unvalued)


class UnvaluedList(ResponseModel):
    unvalued: list[UnvaluedOut]


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
    unvalued: list[UnvaluedOut] = Field(
        description="Places whose on hand has no cost layers (stock that predates valuation): not in the totals"
    )
    aging: list[AgingBucketOut] | None = Field(None, description="With aging=1")

    @classmethod
    def of(cls, report: ValuationReportView, *, aging: bool = False) -> ValuationReportOut:
        lines = [ValuationLineOut(**ln.__dict__) for ln in report.lines]
        unvalued = [UnvaluedOut.of(u) for u in report.unvalued]
        buckets = [AgingBucketOut(**b.__dict__) for b in report.aging] if aging else None
        return cls(**{**report.__dict__, "lines": lines, "unvalued": unvalued, "aging": buckets})


class OpeningCostIn(RequestModel):
    sku: str = Field(examples=["TEA-1"])
    unit_cost: DecimalIn = Field(description="What one unit on hand is worth, in the company's currency (≥ 0)")
    location: str | None = Field(None, description="Exactly this location (not its bins); default: every place")
    lot: str | None = Field(None, description="Only this lot; default: every lot")

    def to_cost(self, field: str) -> OpeningCost:
        return OpeningCost(sku=self.sku, unit_cost=parse_decimal(self.unit_cost, f"{field}.unit_cost"),
                           location=self.location, lot=self.lot)


class OpeningValuationIn(RequestModel):
    lines: list[OpeningCostIn]
    reference: str | None = None
    note: str | None = Field(None, description="Where the costs came from")


class OpeningValueOut(ResponseModel):
    sku: str
    location: str
    lot: str | None
    quantity: DecimalOut
    unit_cost: DecimalOut
    value: DecimalOut
    variance: DecimalOut = Field(description="Of value, what settled units taken out before valuation (to COGS)")


class OpeningValuationOut(ResponseModel):
    id: int
    reference: str | None
    note: str | None
    valued_at: datetime
    currency: str
    lines: list[OpeningValueOut]
    total_value: DecimalOut

    @classmethod
    def of(cls, view: OpeningValuationView) -> OpeningValuationOut:
        fields = {name: value for name, value in view.__dict__.items() if name != "lines"}
        return cls(**fields, lines=[OpeningValueOut(**ln.__dict__) for ln in view.lines], total_value=view.total_value)


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
