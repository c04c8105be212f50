"""Imports and the integrity reports (verify, rebuild)."""

from __future__ import annotations

from pydantic import Field

from onhand.entrypoints.api.schemas.common import DecimalOut, ErrorDetail, ResponseModel
from onhand.services.views import Discrepancy, ImportReport, VerifyReport


class RowErrorOut(ResponseModel):
    line: int
    field: str
    reason: str


class FieldChangeOut(ResponseModel):
    field: str
    old: str | None
    new: str | None


class RowChangeOut(ResponseModel):
    line: int
    key: str = Field(description="The SKU or location code of the row")
    outcome: str = Field(description="created, updated or unchanged")
    fields: list[FieldChangeOut] = Field(description="What an update changes: old → new per field")


class ImportReportOut(ResponseModel):
    kind: str
    ok: bool
    dry_run: bool = Field(description="A preview: nothing was written")
    rows_total: int
    rows_imported: int
    rows_rejected: int = Field(description="Rows with at least one error")
    errors: list[RowErrorOut] = Field(description="Every bad field of every bad row "
                                     "(opening stock: the first 1,000, the rest counted)")
    errors_not_listed: int = Field(description="Errors found beyond those listed")
    changes: list[RowChangeOut] = Field(description="Items and locations: each row's outcome. "
                                        "Opening stock: empty (the rows are counted, not listed)")
    posting_id: int | None
    created_ids: list[int]

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportOut:
        return cls(
            kind=report.kind, ok=report.ok, dry_run=report.dry_run, rows_total=report.rows_total,
            rows_imported=report.rows_imported,
            rows_rejected=(report.rows_rejected if report.rows_rejected is not None
                           else len({e.line for e in report.errors})),
            errors_not_listed=report.errors_not_listed,
            errors=[RowErrorOut(line=e.line, field=e.field, reason=e.reason) for e in report.errors],
            changes=[
                RowChangeOut(line=c.line, key=c.key, outcome=c.outcome, fields=[
                    FieldChangeOut(field=f.field, old=f.old, new=f.new) for f in c.fields
                ]) for c in report.changes
            ],
            posting_id=report.posting_id, created_ids=list(report.created_ids),
        )


class ImportRejectedOut(ResponseModel):
    error: ErrorDetail
    report: ImportReportOut | None = None


class DiscrepancyOut(ResponseModel):
    sku: str
    location: str
    lot: str | None
    expected: DecimalOut
    actual: DecimalOut

    @classmethod
    def of(cls, found: Discrepancy) -> DiscrepancyOut:
        return cls(**found.__dict__)


class ConservationErrorOut(ResponseModel):
    sku: str
    lot: str | None
    total: DecimalOut


class StoredValueOut(ResponseModel):
    what: str = Field(description="on hand, reserved, a move's quantity or a reservation")
    sku: str
    location: str
    lot: str | None
    stored: str = Field(description="As stored, in millionths: a REAL, text, or beyond ±10^18")


class VerifyReportOut(ResponseModel):
    ok: bool
    moves_checked: int
    balances_checked: int
    projection_mismatches: list[DiscrepancyOut]
    conservation_errors: list[ConservationErrorOut]
    negative_balances: list[DiscrepancyOut]
    # balances.reserved (actual) against the sum of reservations (expected).
    reservation_mismatches: list[DiscrepancyOut]
    # Balances promising more than they hold (expected: on hand, actual: reserved).
    oversold: list[DiscrepancyOut]
    order_errors: list[str]
    # Stored numbers Onhand cannot read exactly (not integers within ±10^12 units).
    stored_out_of_range: list[StoredValueOut]

    @classmethod
    def of(cls, report: VerifyReport) -> VerifyReportOut:
        return cls(
            ok=report.ok, moves_checked=report.moves_checked, balances_checked=report.balances_checked,
            projection_mismatches=[DiscrepancyOut.of(d) for d in report.projection_mismatches],
            conservation_errors=[
                ConservationErrorOut(sku=sku, lot=lot, total=total)
                for sku, lot, total in report.conservation_errors
            ],
            negative_balances=[DiscrepancyOut.of(d) for d in report.negative_balances],
            reservation_mismatches=[DiscrepancyOut.of(d) for d in report.reservation_mismatches],
            oversold=[DiscrepancyOut.of(d) for d in report.oversold],
            order_errors=list(report.order_errors),
            stored_out_of_range=[StoredValueOut(**found.__dict__) for found in report.stored_out_of_range],
        )
