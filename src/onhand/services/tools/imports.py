"""CSV import of items and locations, with a per-row error report (and of opening stock,
which streams: opening_stock.py).

By default a file is all or nothing: if any row is bad, nothing is written and every
bad row is reported (every bad field of it). `ImportPolicy.GOOD_ROWS` writes the good
rows and reports the bad ones. `ImportMode.UPSERT` changes the items or locations a file
names that exist already (import_rows.py); `preview_*` runs the same import and rolls it
back, reporting what it would create, change (old → new per field) or leave unchanged.
Each run is recorded, so an idempotency key replays the first report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.errors import InvalidInput, OnhandError
from onhand.services.context import ServiceContext
from onhand.services.csv_files import LAYOUTS, read_rows
from onhand.services.tools.import_rows import ImportMode, RowInvalid, field_of, item_row, location_row, reason
from onhand.services.tools.import_runs import Abort, ImportPolicy, Progress, dump, run_import
from onhand.services.tools.opening_stock import import_opening_stock, preview_opening_stock
from onhand.services.views import ImportReport, RowChange, RowError

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

def parse_csv(text: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of an import file of `kind` (items, locations)."""
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
        for done, (line, row) in enumerate(rows, start=1):
            try:
                if kind == "items":
                    changes.append(item_row(uow, ctx, line, row, mode))
                else:
                    changes.append(location_row(uow, ctx, line, row, mode))
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
            raise Abort(ImportReport(kind, len(rows), imported, tuple(errors), changes=tuple(changes),
                                      dry_run=preview))
        created = _created_ids(uow, kind, changes)
        report = ImportReport(kind, len(rows), len(rows) - bad_lines, tuple(errors), None, created,
                              changes=tuple(changes))
        return uow.import_runs.add(kind=kind, report=dump(report), created_at=ctx.now())

    return run_import(ctx, kind, work, preview=preview, idempotency_key=idempotency_key,
                      request={"text": text, "policy": policy.value, "mode": mode.value})


def _created_ids(uow: UnitOfWork, kind: str, changes: list[RowChange]) -> tuple[int, ...]:
    made = [change.key for change in changes if change.outcome == "created"]
    if kind == "items":
        found = uow.items.by_skus(made)
        return tuple(found[sku].id for sku in made)
    places = {place.code: place.id for place in uow.locations.all()}
    return tuple(places[code] for code in made)


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


__all__ = ["ImportPolicy", "Progress", "import_opening_stock", "preview_opening_stock"]
