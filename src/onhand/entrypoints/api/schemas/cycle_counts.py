"""Cycle counts as the API reads and writes them: ABC classes, the plan, count sessions."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from onhand.domain.planning.commands import OpenCountSession, PostCountSession, RecordCount
from onhand.domain.planning.cycle_counts import AbcRow, CountReview, CountSessionView, DueCount
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.api.schemas.common import DecimalOut, QuantityIn, RequestModel, ResponseModel


class AbcOut(ResponseModel):
    sku: str
    value: DecimalOut = Field(description="Cost value shipped, net of returns, over the window")
    share: DecimalOut = Field(description="Percent of the total value")
    cumulative: DecimalOut = Field(description="Percent of the total, this item and those above it")
    abc_class: str

    @classmethod
    def of(cls, row: AbcRow) -> AbcOut:
        return cls(**row.__dict__)


class AbcList(ResponseModel):
    window_days: int
    items: list[AbcOut]


class DueOut(ResponseModel):
    sku: str
    location: str
    abc_class: str
    last_counted: date | None = Field(description="Day of the last posted cycle count (null: never)")
    due_since: date | None

    @classmethod
    def of(cls, row: DueCount) -> DueOut:
        return cls(**row.__dict__)


class PlanOut(ResponseModel):
    site: str
    due: list[DueOut]


class OpenSessionIn(RequestModel):
    location: str = Field(max_length=200, description="Exactly this place: a bin, or a site without its bins")
    skus: list[str] = Field(default_factory=list, max_length=10_000,
                            description="Only these items (counted even if the books hold none here)")

    def to_command(self) -> OpenCountSession:
        return OpenCountSession(location=self.location, skus=tuple(self.skus))


class CountIn(RequestModel):
    sku: str = Field(max_length=200)
    quantity: QuantityIn
    lot: str | None = Field(None, max_length=200)

    def to_command(self, session_id: int) -> RecordCount:
        return RecordCount(session_id=session_id, sku=self.sku, quantity=parse_decimal(self.quantity, "quantity"),
                           lot=self.lot)


class PostSessionIn(RequestModel):
    reason: str = Field("count", max_length=40)
    note: str | None = Field(None, max_length=2000)

    def to_command(self, session_id: int) -> PostCountSession:
        return PostCountSession(session_id=session_id, reason=self.reason, note=self.note)


class CountLineOut(ResponseModel):
    sku: str
    lot: str | None
    counted: DecimalOut | None = Field(description="Null: not counted yet. The book is not shown until review")


class SessionOut(ResponseModel):
    id: int
    location: str
    status: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    posting_id: int | None
    lines: list[CountLineOut]

    @classmethod
    def of(cls, view: CountSessionView) -> SessionOut:
        return cls(**{**view.__dict__, "status": view.status.value,
                      "lines": [CountLineOut(**line.__dict__) for line in view.lines]})


class SessionList(ResponseModel):
    sessions: list[SessionOut]


class ReviewLineOut(ResponseModel):
    sku: str
    lot: str | None
    frozen: DecimalOut = Field(description="The book when the session opened")
    moved_since: DecimalOut = Field(description="Moved in (+) or out (-) of the place since then")
    expected: DecimalOut = Field(description="Frozen + moved since: the book now")
    counted: DecimalOut | None
    difference: DecimalOut | None = Field(description="Counted - expected: what posting adjusts")


class ReviewOut(ResponseModel):
    id: int
    location: str
    status: str
    lines: list[ReviewLineOut]

    @classmethod
    def of(cls, view: CountReview) -> ReviewOut:
        return cls(id=view.id, location=view.location, status=view.status.value,
                   lines=[ReviewLineOut(**line.__dict__) for line in view.lines])
