"""Stock levels: on hand, reserved and available, grouped as asked."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from onhand.entrypoints.api.schemas.common import DecimalOut, ResponseModel
from onhand.services.views import StockLevel, StockReport


class StockLevelOut(ResponseModel):
    sku: str
    location: str | None
    lot: str | None
    on_hand: DecimalOut
    reserved: DecimalOut
    available: DecimalOut
    expiry_date: date | None
    negative: bool
    in_transit: DecimalOut = Field(description="On its way here from another site (on hand in transit)")
    in_transit_expected: date | None = Field(description="When the earliest of it is expected")
    incoming: DecimalOut = Field(description="Ordered from suppliers, not yet received (never available)")
    incoming_expected: date | None = Field(description="The earliest expected date of what is incoming")

    @classmethod
    def of(cls, level: StockLevel) -> StockLevelOut:
        return cls(**level.__dict__)


class StockReportOut(ResponseModel):
    levels: list[StockLevelOut]
    warnings: list[str]

    @classmethod
    def of(cls, report: StockReport) -> StockReportOut:
        return cls(levels=[StockLevelOut.of(lv) for lv in report.levels], warnings=list(report.warnings))
