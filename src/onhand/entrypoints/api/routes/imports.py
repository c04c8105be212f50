"""CSV imports of items, locations and opening stock.

The CSV is the request body (`Content-Type: text/csv`) or a multipart field `file`.
An all-or-nothing import with bad rows writes nothing and answers 422 with every bad
row; `policy=good-rows` writes the good rows and lists the bad ones in a 200.
`mode=upsert` changes the items or locations that exist; `dry_run=true` answers 200 with
what the import would do (created, updated old → new, unchanged, errors) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.entrypoints.api.auth import CatalogEditor, IdempotencyKey, OnhandDep, StockKeeper
from onhand.entrypoints.api.bodies import CSV_REQUEST_BODY, CsvText
from onhand.entrypoints.api.errors import error_response
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.admin import ImportRejectedOut, ImportReportOut
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES
from onhand.services.tools.import_rows import ImportMode
from onhand.services.tools.imports import ImportPolicy
from onhand.services.views import ImportReport

router = ApiRouter(tags=["imports"], responses=ERROR_RESPONSES)

Importer = Callable[..., ImportReport]
DryRun = Annotated[bool, Query(description="Report what the import would do; write nothing")]
_REJECTED: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ImportRejectedOut,
        "description": "A malformed file, or (all-or-nothing) bad rows: nothing was written; "
        "`report.errors` lists every bad row",
    }
}


def _render(report: ImportReport, policy: ImportPolicy, request: Request) -> ImportReportOut | JSONResponse:
    out = ImportReportOut.of(report)
    if report.ok or report.dry_run or policy is not ImportPolicy.ALL_OR_NOTHING:
        return out
    bad = out.rows_rejected
    rejected = InvalidInput(
        "file", f"{bad} of {report.rows_total} rows are invalid; nothing was imported"
    )
    return error_response(rejected, request, extra={"report": out.model_dump(mode="json")})


@router.post(
    "/imports/items", response_model=ImportReportOut, responses=_REJECTED, openapi_extra=CSV_REQUEST_BODY,
    summary="Import items (sku, name, unit, tracking, gtin, shelf_life_days)",
)
def import_items(
    request: Request, _key: CatalogEditor, csv_text: CsvText, onhand: OnhandDep,
    policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING, mode: ImportMode = ImportMode.CREATE,
    dry_run: DryRun = False, idempotency_key: IdempotencyKey = None,
) -> ImportReportOut | JSONResponse:
    if dry_run:
        return _render(services.imports.preview_items(onhand, csv_text, mode=mode), policy, request)
    report = services.imports.import_items(
        onhand, csv_text, policy=policy, mode=mode, idempotency_key=idempotency_key
    )
    return _render(report, policy, request)


@router.post(
    "/imports/locations", response_model=ImportReportOut, responses=_REJECTED,
    openapi_extra=CSV_REQUEST_BODY,
    summary="Import locations (code, name, kind, parent, sellable, allow_negative, address_…)",
)
def import_locations(
    request: Request, _key: CatalogEditor, csv_text: CsvText, onhand: OnhandDep,
    policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING, mode: ImportMode = ImportMode.CREATE,
    dry_run: DryRun = False, idempotency_key: IdempotencyKey = None,
) -> ImportReportOut | JSONResponse:
    if dry_run:
        return _render(services.imports.preview_locations(onhand, csv_text, mode=mode), policy, request)
    report = services.imports.import_locations(
        onhand, csv_text, policy=policy, mode=mode, idempotency_key=idempotency_key
    )
    return _render(report, policy, request)


@router.post(
    "/imports/opening-stock", response_model=ImportReportOut, responses=_REJECTED,
    openapi_extra=CSV_REQUEST_BODY,
    summary="Import opening stock (location, sku, quantity, lot, expiry_date, production_date)",
)
def import_opening_stock(
    request: Request, _key: StockKeeper, csv_text: CsvText, onhand: OnhandDep,
    policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING, dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> ImportReportOut | JSONResponse:
    if dry_run:
        return _render(services.imports.preview_opening_stock(onhand, csv_text), policy, request)
    report = services.imports.import_opening_stock(
        onhand, csv_text, policy=policy, idempotency_key=idempotency_key
    )
    return _render(report, policy, request)
