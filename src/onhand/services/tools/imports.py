"""CSV import of items, locations and opening stock, with a per-row error report.

By default a file is all or nothing: if any row is bad, nothing is written and every
bad row is reported (every bad field of it). `ImportPolicy.GOOD_ROWS` writes the good
rows and reports the bad ones. `ImportMode.UPSERT` changes the items or locations a file
names that exist already (import_rows.py); `preview_*` runs the same import and rolls it
back, reporting what it would create, change (old → new per field) or leave unchanged.
Each run is recorded, so an idempotency key replays the first report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import InvalidInput, OnhandError
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind, adjustment_move
from onhand.services import resolve
from onhand.services.context import ServiceContext, run_write
from onhand.services.csv_files import LAYOUTS, read_rows
from onhand.services.ledger.postings import StockLine, post, resolve_line
from onhand.services.tools.import_rows import ImportMode, RowInvalid, field_of, item_row, location_row, reason
from onhand.services.views import FieldChange, ImportReport, RowChange, RowError

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

Progress = Callable[[int, int], None]

class ImportPolicy(StrEnum):
    ALL_OR_NOTHING = "all-or-nothing"
    GOOD_ROWS = "good-rows"


class _Abort(Exception):
    """Rolls back a preview, or an all-or-nothing import that found bad rows."""


def parse_csv(text: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of an import file of `kind` (items, locations, opening_stock)."""
    return read_rows(text, LAYOUTS[kind])


def _run(
    ctx: ServiceContext,
    kind: str,
    text: str,
    *,
    policy: ImportPolicy,
    mode: ImportMode = ImportMode.CREATE,
    on_progress: Progress | None = None,
    idempotency_key: str | None = None,
    preview: bool = False,
) -> ImportReport:
    rows = parse_csv(text, kind)
    limit = ctx.limits.max_posting_lines
    if len(rows) > limit:
        # One import is one transaction: a bigger one would hold the write lock for long.
        raise InvalidInput("file", f"{len(rows)} rows are more than the {limit} one import may have; "
                           "split the file into several")

    def work(uow: UnitOfWork) -> int:
        errors: list[RowError] = []
        changes: list[RowChange] = []
        moves = []
        adjustment = uow.locations.virtual(LocationKind.ADJUSTMENT)
        for done, (line, row) in enumerate(rows, start=1):
            try:
                if kind == "items":
                    changes.append(item_row(uow, ctx, line, row, mode))
                elif kind == "locations":
                    changes.append(location_row(uow, ctx, line, row, mode))
                else:
                    moves.append(_opening_move(uow, ctx, row, adjustment))
                    changes.append(RowChange(line, f"{row['sku']}@{row['location']}", "created"))
            except RowInvalid as bad:
                errors.extend(RowError(line, field, why) for field, why in bad.errors)
            except OnhandError as exc:
                errors.append(RowError(line, field_of(exc), reason(exc)))
            if on_progress:
                on_progress(done, len(rows))
        bad_lines = len({error.line for error in errors})
        if preview or (errors and policy is ImportPolicy.ALL_OR_NOTHING):
            # A preview, or a file that may not be written in part: roll everything back.
            imported = len(rows) - bad_lines if preview else 0
            raise _Abort(ImportReport(kind, len(rows), imported, tuple(errors), changes=tuple(changes),
                                      dry_run=preview))
        posting_id = None
        if moves:
            draft = PostingDraft(kind=PostingKind.OPENING, moves=tuple(moves), reason="opening")
            posting_id = post(uow, draft, now=ctx.now())
        created = _created_ids(uow, kind, changes)
        report = ImportReport(
            kind, len(rows), len(rows) - bad_lines, tuple(errors), posting_id, created, changes=tuple(changes)
        )
        return uow.import_runs.add(kind=kind, report=_dump(report), created_at=ctx.now())

    try:
        return run_write(
            ctx, work, _load, action=f"import_{kind}",
            subject=lambda report: AuditObject("import", str(report.run_id)),
            idempotency_key=None if preview else idempotency_key,
            request={"text": text, "policy": policy.value, "mode": mode.value},
        )
    except _Abort as abort:
        report: ImportReport = abort.args[0]
        return report


def _created_ids(uow: UnitOfWork, kind: str, changes: list[RowChange]) -> tuple[int, ...]:
    made = [change.key for change in changes if change.outcome == "created"]
    if kind == "items":
        found = uow.items.by_skus(made)
        return tuple(found[sku].id for sku in made)
    if kind == "locations":
        places = {place.code: place.id for place in uow.locations.all()}
        return tuple(places[code] for code in made)
    return ()


def _opening_move(
    uow: UnitOfWork, ctx: ServiceContext, row: dict[str, str], adjustment: Location
) -> MoveLine:
    """The row's move; a bad location and a bad line are both reported."""
    errors: list[tuple[str, str]] = []
    place = None
    try:
        place = resolve.internal_location_in_use(uow, row["location"])
    except OnhandError as exc:
        errors.append((field_of(exc), reason(exc)))
    line = StockLine(
        sku=row["sku"], quantity=row["quantity"], lot=row.get("lot") or None,
        expiry_date=row.get("expiry_date") or None, production_date=row.get("production_date") or None,
        unit_cost=row.get("unit_cost") or None,
    )
    try:
        resolved = resolve_line(uow, line, "row", now=ctx.now())
        if resolved.quantity <= 0:
            raise InvalidInput("quantity", "opening stock must be greater than zero")
    except OnhandError as exc:
        errors.append((field_of(exc), reason(exc)))
    if errors or place is None:
        raise RowInvalid(errors)
    move = adjustment_move(resolved.item, place, resolved.quantity, adjustment, resolved.lot)
    return replace(move, unit_cost=resolved.unit_cost)


def _dump(report: ImportReport) -> str:
    return json.dumps(asdict(report))


def _load(uow: UnitOfWork, run_id: int) -> ImportReport:
    data = json.loads(uow.import_runs.get(run_id))
    data["errors"] = tuple(RowError(**e) for e in data["errors"])
    data["created_ids"] = tuple(data["created_ids"])
    data["changes"] = tuple(
        RowChange(**{**c, "fields": tuple(FieldChange(**f) for f in c["fields"])}) for c in data.get("changes", ())
    )
    return ImportReport(**{**data, "run_id": run_id})


def import_items(
    ctx: ServiceContext, text: str, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    mode: ImportMode = ImportMode.CREATE, on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: sku, name, unit, tracking, gtin, shelf_life_days."""
    return _run(ctx, "items", text, policy=policy, mode=mode, on_progress=on_progress,
                idempotency_key=idempotency_key)


def preview_items(ctx: ServiceContext, text: str, *, mode: ImportMode = ImportMode.CREATE) -> ImportReport:
    """What `import_items` would do with `text`; writes nothing."""
    return _run(ctx, "items", text, policy=ImportPolicy.GOOD_ROWS, mode=mode, preview=True)


def import_locations(
    ctx: ServiceContext, text: str, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    mode: ImportMode = ImportMode.CREATE, on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: code, name, kind, parent, sellable, allow_negative, address_line1, …, country."""
    return _run(ctx, "locations", text, policy=policy, mode=mode, on_progress=on_progress,
                idempotency_key=idempotency_key)


def preview_locations(ctx: ServiceContext, text: str, *, mode: ImportMode = ImportMode.CREATE) -> ImportReport:
    """What `import_locations` would do with `text`; writes nothing."""
    return _run(ctx, "locations", text, policy=ImportPolicy.GOOD_ROWS, mode=mode, preview=True)


def import_opening_stock(
    ctx: ServiceContext, text: str, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: location, sku, quantity, lot, expiry_date, production_date, unit_cost.

    All good rows go into one `opening` posting from the adjustment location; a row's
    `unit_cost` (company currency) is what its units come in at (else the current cost).
    """
    return _run(ctx, "opening_stock", text, policy=policy, on_progress=on_progress,
                idempotency_key=idempotency_key)


def preview_opening_stock(ctx: ServiceContext, text: str) -> ImportReport:
    """What `import_opening_stock` would do with `text`; writes nothing."""
    return _run(ctx, "opening_stock", text, policy=ImportPolicy.GOOD_ROWS, preview=True)
