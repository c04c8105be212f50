"""Planning: reorder rules, demand, projected stock, suggestions and alerts as the API reads and writes them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StrictInt

from onhand.domain.planning.commands import DEFAULT_EXPIRY_DAYS, DEFAULT_WINDOW_DAYS, SetReorderRule
from onhand.domain.planning.projection import ProjectedDay
from onhand.domain.planning.views import (
    Alert,
    AlertScan,
    CreatedDocuments,
    DemandView,
    ProjectionView,
    PurchaseSuggestion,
    ReorderRuleView,
    Suggestions,
    SupplierSuggestions,
    TransferSuggestion,
)
from onhand.domain.quantities import optional_decimal
from onhand.entrypoints.api.schemas.common import DecimalIn, DecimalOut, QuantityIn, RequestModel, ResponseModel


class ReorderRuleIn(RequestModel):
    """Create or replace the rule of `sku` at `site` (a warehouse, store or 3PL; bins roll up)."""

    sku: str = Field(max_length=200, examples=["MUG-12OZ"])
    site: str = Field(max_length=200, examples=["NY"])
    minimum: QuantityIn | None = Field(None, description="Reorder point. Default: lead-time demand + safety stock")
    maximum: QuantityIn | None = Field(None, description="Order up to this (min/max)")
    reorder_quantity: QuantityIn | None = Field(None, description="Or order in lots of this")
    safety_stock: QuantityIn | None = None
    service_level: DecimalIn | None = Field(None, description="0.5-0.9999: safety stock z × σ × √lead time")
    supplier: str | None = Field(None, max_length=200, description="Preferred supplier. Default: the cheapest price")
    lead_time_days: StrictInt | None = Field(None, description="Default: the supplier's")
    min_order_quantity: QuantityIn | None = Field(None, description="Default: the supplier price's")
    order_multiple: QuantityIn | None = Field(None, description="Default: the supplier price's pack size")
    demand_window_days: StrictInt = Field(DEFAULT_WINDOW_DAYS, description="Days of history demand is read from")

    def to_command(self) -> SetReorderRule:
        return SetReorderRule(
            sku=self.sku, site=self.site,
            minimum=optional_decimal(self.minimum, "minimum"),
            maximum=optional_decimal(self.maximum, "maximum"),
            reorder_quantity=optional_decimal(self.reorder_quantity, "reorder_quantity"),
            safety_stock=optional_decimal(self.safety_stock, "safety_stock"),
            service_level=optional_decimal(self.service_level, "service_level"),
            supplier=self.supplier, lead_time_days=self.lead_time_days,
            min_order_quantity=optional_decimal(self.min_order_quantity, "min_order_quantity"),
            order_multiple=optional_decimal(self.order_multiple, "order_multiple"),
            demand_window_days=self.demand_window_days,
        )


class ReorderRuleOut(ResponseModel):
    sku: str
    site: str
    minimum: DecimalOut | None
    maximum: DecimalOut | None
    reorder_quantity: DecimalOut | None
    safety_stock: DecimalOut | None
    service_level: DecimalOut | None
    supplier: str | None
    lead_time_days: int | None
    min_order_quantity: DecimalOut | None
    order_multiple: DecimalOut | None
    demand_window_days: int

    @classmethod
    def of(cls, view: ReorderRuleView) -> ReorderRuleOut:
        return cls(**view.__dict__)


class ReorderRuleList(ResponseModel):
    rules: list[ReorderRuleOut]


class DemandOut(ResponseModel):
    sku: str
    site: str
    window_days: int
    total: DecimalOut = Field(description="Shipped less returned over the window, assemblies passed down")
    average_daily: DecimalOut
    deviation: DecimalOut = Field(description="Standard deviation of daily demand")
    from_assemblies: DecimalOut
    demand_method: str = Field(description="moving_average or exponential_smoothing")
    forecast_daily: DecimalOut = Field(description="The method's demand a day over the next 28 days")
    held_back_days: int = Field(description="The window's last days hidden from the method to judge it")
    mean_absolute_error: DecimalOut | None = Field(description="The method's forecast error on the held-back days")
    moving_average_mean_absolute_error: DecimalOut | None = Field(
        description="The moving average's error on the same days, to compare")

    @classmethod
    def of(cls, view: DemandView) -> DemandOut:
        return cls(**view.__dict__)


class DemandList(ResponseModel):
    demand: list[DemandOut]


class ProjectedDayOut(ResponseModel):
    day: date
    incoming: DecimalOut
    outgoing: DecimalOut
    available: DecimalOut = Field(description="On hand and every document through this day")
    expected: DecimalOut = Field(description="Available less the average demand of the days after today")

    @classmethod
    def of(cls, row: ProjectedDay) -> ProjectedDayOut:
        return cls(**row.__dict__)


class ProjectionOut(ResponseModel):
    sku: str
    site: str
    on_hand: DecimalOut
    position: DecimalOut = Field(description="On hand and every open document, whatever its date")
    minimum: DecimalOut | None = Field(description="The rule's reorder point (null: no rule)")
    average_daily_demand: DecimalOut
    first_below_minimum: date | None
    first_stock_out: date | None
    days: list[ProjectedDayOut]

    @classmethod
    def of(cls, view: ProjectionView) -> ProjectionOut:
        return cls(**{**view.__dict__, "days": [ProjectedDayOut.of(d) for d in view.days]})


class PurchaseSuggestionOut(ResponseModel):
    sku: str
    site: str
    quantity: DecimalOut
    unit_cost: DecimalOut | None
    cost: DecimalOut | None
    expected_date: date
    reason: str

    @classmethod
    def of(cls, line: PurchaseSuggestion) -> PurchaseSuggestionOut:
        return cls(**line.__dict__)


class SupplierSuggestionsOut(ResponseModel):
    supplier: str | None = Field(description="null: no supplier is known for these items")
    currency: str | None
    total_cost: DecimalOut | None
    lines: list[PurchaseSuggestionOut]

    @classmethod
    def of(cls, group: SupplierSuggestions) -> SupplierSuggestionsOut:
        return cls(supplier=group.supplier, currency=group.currency, total_cost=group.total_cost,
                   lines=[PurchaseSuggestionOut.of(line) for line in group.lines])


class TransferSuggestionOut(ResponseModel):
    sku: str
    source: str
    destination: str
    quantity: DecimalOut
    reason: str

    @classmethod
    def of(cls, move: TransferSuggestion) -> TransferSuggestionOut:
        return cls(**move.__dict__)


class SuggestionsOut(ResponseModel):
    day: date
    purchases: list[SupplierSuggestionsOut]
    transfers: list[TransferSuggestionOut]

    @classmethod
    def of(cls, made: Suggestions) -> SuggestionsOut:
        return cls(day=made.day, purchases=[SupplierSuggestionsOut.of(g) for g in made.purchases],
                   transfers=[TransferSuggestionOut.of(t) for t in made.transfers])


class SuggestedDocumentsIn(RequestModel):
    skus: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=1000, description="Only these items (default: all)")


class CreatedDocumentsOut(ResponseModel):
    purchase_orders: list[str]
    transfers: list[str]
    skipped: list[str] = Field(description="Suggestions that could not become a document, and why")

    @classmethod
    def of(cls, made: CreatedDocuments) -> CreatedDocumentsOut:
        return cls(purchase_orders=list(made.purchase_orders), transfers=list(made.transfers),
                   skipped=list(made.skipped))


class AlertOut(ResponseModel):
    kind: str = Field(description="low_stock, stock_out, expiring_lot, backorder")
    sku: str
    site: str
    lot: str | None
    message: str
    quantity: DecimalOut
    day: date | None

    @classmethod
    def of(cls, alert: Alert) -> AlertOut:
        return cls(**alert.__dict__)


class AlertList(ResponseModel):
    alerts: list[AlertOut]


class AlertScanIn(RequestModel):
    expiry_days: StrictInt = Field(DEFAULT_EXPIRY_DAYS, description="Lots expiring within this many days")


class AlertScanOut(ResponseModel):
    raised: list[AlertOut]
    cleared: list[str]
    open: int
    at: datetime

    @classmethod
    def of(cls, scan: AlertScan) -> AlertScanOut:
        return cls(raised=[AlertOut.of(a) for a in scan.raised], cleared=list(scan.cleared), open=scan.open,
                   at=scan.at)
