"""Postings (adjustments, counts, relocations), their moves, and movement history."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from onhand.domain.calendar import read_moment
from onhand.domain.ledger.commands import MoveStock, PostAdjustment, PostStockCount, StockLine, parse_stock_line
from onhand.entrypoints.api.schemas.common import DateIn, DecimalIn, DecimalOut, QuantityIn, RequestModel, ResponseModel
from onhand.services.views import MoveView, PostingView


class StockLineIn(RequestModel):
    sku: str = Field(examples=["TEA-1"])
    quantity: QuantityIn
    lot: str | None = Field(None, description="Required for lot- and serial-tracked items")
    expiry_date: DateIn | None = Field(None, description="For a lot first seen on this line")
    production_date: DateIn | None = Field(None, description="For a lot first seen on this line")
    unit_cost: DecimalIn | None = Field(
        None, description="Company currency, per unit found (≥ 0); only on a line that adds stock. "
        "Default: the item's current cost at the location",
    )

    def to_line(self, field: str) -> StockLine:
        return parse_stock_line(
            field, sku=self.sku, quantity=self.quantity, lot=self.lot,
            expiry_date=self.expiry_date, production_date=self.production_date, unit_cost=self.unit_cost,
        )


def stock_lines(lines: list[StockLineIn]) -> tuple[StockLine, ...]:
    return tuple(line.to_line(f"lines[{index}]") for index, line in enumerate(lines))


EFFECTIVE_AT = (
    "When it happened, if earlier than now (ISO 8601; without an offset, or a bare date, in the company's "
    "time zone): valued there, and the item's later moves re-valued. Default: now"
)


class AdjustmentIn(RequestModel):
    """Signed quantities at one internal location: + found, − lost."""

    location: str = Field(examples=["NY"])
    reason: str = Field(examples=["damaged"])
    lines: list[StockLineIn]
    reference: str | None = None
    note: str | None = None
    effective_at: str | None = Field(None, description=EFFECTIVE_AT, examples=["2026-03-01T17:00:00Z"])

    def to_command(self) -> PostAdjustment:
        return PostAdjustment(
            location=self.location, lines=stock_lines(self.lines), reason=self.reason, reference=self.reference,
            note=self.note, effective_at=read_moment(self.effective_at, "effective_at"),
        )


class CountIn(RequestModel):
    """Counted quantities at one location; the difference to the books is posted."""

    location: str = Field(examples=["NY"])
    lines: list[StockLineIn]
    reason: str = "count"
    reference: str | None = None
    note: str | None = None
    effective_at: str | None = Field(None, description=EFFECTIVE_AT, examples=["2026-03-01T17:00:00Z"])

    def to_command(self) -> PostStockCount:
        return PostStockCount(
            location=self.location, lines=stock_lines(self.lines), reason=self.reason, reference=self.reference,
            note=self.note, effective_at=read_moment(self.effective_at, "effective_at"),
        )


class RelocationIn(RequestModel):
    """Stock moved directly from one internal location to another."""

    source: str = Field(examples=["NY"])
    destination: str = Field(examples=["NY-A1"])
    lines: list[StockLineIn]
    reference: str | None = None
    note: str | None = None

    def to_command(self) -> MoveStock:
        return MoveStock(
            source=self.source, destination=self.destination, lines=stock_lines(self.lines),
            reference=self.reference, note=self.note,
        )


class MoveOut(ResponseModel):
    id: int
    posting_id: int
    posting_kind: str
    sku: str
    lot: str | None
    from_location: str
    to_location: str
    quantity: DecimalOut
    reason: str | None
    reference: str | None
    created_at: datetime
    effective_at: datetime

    @classmethod
    def of(cls, move: MoveView) -> MoveOut:
        return cls(**move.__dict__)


class PostingOut(ResponseModel):
    id: int
    kind: str
    reason: str | None
    reference: str | None
    note: str | None
    created_at: datetime
    effective_at: datetime
    actor: str | None = Field(description="Who posted it: api_key:3, cli:alice, system (see GET /audit)")
    moves: list[MoveOut]

    @classmethod
    def of(cls, posting: PostingView) -> PostingOut:
        return cls(
            id=posting.id, kind=posting.kind, reason=posting.reason, reference=posting.reference,
            note=posting.note, created_at=posting.created_at, effective_at=posting.effective_at,
            actor=posting.actor, moves=[MoveOut.of(m) for m in posting.moves],
        )


class MoveList(ResponseModel):
    moves: list[MoveOut]
    next_before_id: int | None = Field(
        description="Pass as before_id for the next (older) page; null on the last page"
    )
