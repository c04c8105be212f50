"""CSV import of items, locations and opening stock, with a per-row error report.

By default a file is all or nothing: if any row is bad, nothing is written and every
bad row is reported. `ImportPolicy.GOOD_ROWS` writes the good rows and reports the
bad ones. Each run is recorded, so an idempotency key replays the first report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound, OnhandError
from onhand.domain.ledger.postings import MoveLine, PostingDraft, PostingKind, adjustment_move
from onhand.services import resolve
from onhand.services.catalog.items import new_item
from onhand.services.catalog.locations import new_location
from onhand.services.context import ServiceContext, run_write
from onhand.services.csv_files import CsvLayout, read_rows
from onhand.services.ledger.postings import StockLine, post, resolve_line
from onhand.services.views import ImportReport, RowError

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

Progress = Callable[[int, int], None]

LAYOUTS = {
    "items": CsvLayout(
        "an items file", ("sku", "name", "unit", "tracking", "gtin", "shelf_life_days"), required=("sku", "name")
    ),
    "locations": CsvLayout(
        "a locations file",
        ("code", "name", "kind", "parent", "sellable", "allow_negative",
         "address_line1", "address_line2", "city", "region", "postcode", "country"),
        required=("code", "name", "kind"),
    ),
    "opening_stock": CsvLayout(
        "an opening stock file",
        ("location", "sku", "quantity", "lot", "expiry_date", "production_date", "unit_cost"),
        required=("location", "sku", "quantity"),
    ),
}


class ImportPolicy(StrEnum):
    ALL_OR_NOTHING = "all-or-nothing"
    GOOD_ROWS = "good-rows"


class _Abort(Exception):
    """Rolls back an all-or-nothing import that found bad rows."""


def parse_csv(text: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of an import file of `kind` (items, locations, opening_stock)."""
    return read_rows(text, LAYOUTS[kind])


def _flag(value: str, field: str, default: bool) -> bool:
    if not value:
        return default
    lowered = value.lower()
    if lowered in ("true", "yes", "1", "y"):
        return True
    if lowered in ("false", "no", "0", "n"):
        return False
    raise InvalidInput(field, f"{value!r} is not true/false")


def _int_or_none(value: str, field: str) -> int | None:
    if not value:
        return None
    # Digits as numbers are written everywhere (ASCII, no '_' or '+'), which int() is lax about.
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise InvalidInput(field, f"{value!r} is not a whole number")
    return int(value)


def _import_item(uow: UnitOfWork, ctx: ServiceContext, row: dict[str, str]) -> int:
    item = new_item(
        uow,
        sku=row["sku"],
        name=row["name"],
        unit=row.get("unit") or "each",
        tracking=row.get("tracking") or "none",
        gtin=row.get("gtin") or None,
        shelf_life_days=_int_or_none(row.get("shelf_life_days", ""), "shelf_life_days"),
    )
    return uow.items.add(item, ctx.now())


def _import_location(uow: UnitOfWork, ctx: ServiceContext, row: dict[str, str]) -> int:
    address = {
        key.removeprefix("address_"): row[key] or None
        for key in ("address_line1", "address_line2", "city", "region", "postcode", "country")
        if key in row
    }
    location = new_location(
        uow,
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        parent=row.get("parent") or None,
        sellable=_flag(row.get("sellable", ""), "sellable", True),
        allow_negative=_flag(row.get("allow_negative", ""), "allow_negative", False),
        address=address,
    )
    return uow.locations.add(location, ctx.now()).id


def _run(
    ctx: ServiceContext,
    kind: str,
    text: str,
    policy: ImportPolicy,
    on_progress: Progress | None,
    idempotency_key: str | None,
) -> ImportReport:
    rows = parse_csv(text, kind)
    limit = ctx.limits.max_posting_lines
    if len(rows) > limit:
        # One import is one transaction: a bigger one would hold the write lock for long.
        raise InvalidInput("file", f"{len(rows)} rows are more than the {limit} one import may have; "
                           "split the file into several")

    def work(uow: UnitOfWork) -> int:
        errors: list[RowError] = []
        created: list[int] = []
        moves = []
        adjustment = uow.locations.virtual(LocationKind.ADJUSTMENT)
        for done, (line, row) in enumerate(rows, start=1):
            try:
                if kind == "items":
                    created.append(_import_item(uow, ctx, row))
                elif kind == "locations":
                    created.append(_import_location(uow, ctx, row))
                else:
                    moves.append(_opening_move(uow, ctx, row, adjustment))
            except OnhandError as exc:
                field = str(getattr(exc, "field", "row")).removeprefix("row.")
                errors.append(RowError(line, field, _reason(exc)))
            if on_progress:
                on_progress(done, len(rows))
        posting_id = None
        if errors and policy is ImportPolicy.ALL_OR_NOTHING:
            report = ImportReport(kind, len(rows), 0, tuple(errors))
            raise _Abort(report)
        if moves:
            draft = PostingDraft(kind=PostingKind.OPENING, moves=tuple(moves), reason="opening")
            posting_id = post(uow, draft, now=ctx.now())
        report = ImportReport(
            kind, len(rows), len(rows) - len(errors), tuple(errors), posting_id, tuple(created)
        )
        return uow.import_runs.add(kind=kind, report=_dump(report), created_at=ctx.now())

    try:
        return run_write(
            ctx, work, _load, action=f"import_{kind}",
            subject=lambda report: AuditObject("import", str(report.run_id)),
            idempotency_key=idempotency_key, request={"text": text, "policy": policy.value},
        )
    except _Abort as abort:
        report: ImportReport = abort.args[0]
        return report


def _opening_move(
    uow: UnitOfWork, ctx: ServiceContext, row: dict[str, str], adjustment: Location
) -> MoveLine:
    place = resolve.internal_location(uow, row["location"])
    line = StockLine(
        sku=row["sku"], quantity=row["quantity"], lot=row.get("lot") or None,
        expiry_date=row.get("expiry_date") or None, production_date=row.get("production_date") or None,
        unit_cost=row.get("unit_cost") or None,
    )
    resolved = resolve_line(uow, line, "row", now=ctx.now())
    if resolved.quantity <= 0:
        raise InvalidInput("quantity", "opening stock must be greater than zero")
    move = adjustment_move(resolved.item, place, resolved.quantity, adjustment, resolved.lot)
    return replace(move, unit_cost=resolved.unit_cost)


def _reason(exc: OnhandError) -> str:
    if isinstance(exc, InvalidInput):
        return exc.reason
    if isinstance(exc, NotFound):
        return f"unknown {exc.what} {exc.key!r}"
    if isinstance(exc, AlreadyExists):
        return f"{exc.what} {exc.key!r} already exists"
    return exc.message


def _dump(report: ImportReport) -> str:
    return json.dumps(asdict(report))


def _load(uow: UnitOfWork, run_id: int) -> ImportReport:
    data = json.loads(uow.import_runs.get(run_id))
    data["errors"] = tuple(RowError(**e) for e in data["errors"])
    data["created_ids"] = tuple(data["created_ids"])
    return ImportReport(**{**data, "run_id": run_id})


def import_items(
    ctx: ServiceContext, text: str, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: sku, name, unit, tracking, gtin, shelf_life_days."""
    return _run(ctx, "items", text, policy, on_progress, idempotency_key)


def import_locations(
    ctx: ServiceContext, text: str, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: code, name, kind, parent, sellable, allow_negative, address_line1, …, country."""
    return _run(ctx, "locations", text, policy, on_progress, idempotency_key)


def import_opening_stock(
    ctx: ServiceContext, text: str, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: location, sku, quantity, lot, expiry_date, production_date, unit_cost.

    All good rows go into one `opening` posting from the adjustment location; a row's
    `unit_cost` (company currency) is what its units come in at (else the current cost).
    """
    return _run(ctx, "opening_stock", text, policy, on_progress, idempotency_key)
