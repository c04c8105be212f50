"""Stock levels: on hand, reserved and available, grouped as asked."""

from __future__ import annotations

from datetime import date

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

    @classmethod
    def of(cls, level: StockLevel) -> StockLevelOut:
        return cls(**level.__dict__)


class StockReportOut(ResponseModel):
    levels: list[StockLevelOut]
    warnings: list[str]

    @classmethod
    def of(cls, report: StockReport) -> StockReportOut:
        return cls(levels=[StockLevelOut.of(lv) for lv in report.levels], warnings=list(report.warnings))
