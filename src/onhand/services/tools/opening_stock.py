"""Import of opening stock: a CSV file of (location, sku, quantity, lot, expiry_date,
production_date, unit_cost) rows into one `opening` posting from the adjustment location.

It streams: the file is read a chunk of rows at a time (`CsvSource`, `iter_rows`), each
chunk's items and lots looked up together and its good rows appended to the one posting
(`PostingInParts`: moves, balances, values and feed per part), so the memory an import
takes does not grow with its rows and nothing is re-read as the posting grows. It is still
one transaction: all or nothing by default (any bad row: nothing is written, every bad row
is reported; the parts already written are rolled back with it), the good rows only under
`ImportPolicy.GOOD_ROWS`; a preview rolls back. The report counts the rows and lists the
errors (the first `MAX_ERRORS_LISTED`, and how many more), not every good row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TYPE_CHECKING

from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import InvalidInput, OnhandError
from onhand.domain.ledger.postings import MoveLine, PostingKind, adjustment_move
from onhand.services import resolve
from onhand.services.context import ServiceContext
from onhand.services.csv_files import LAYOUTS, CsvSource, iter_rows, text_source
from onhand.services.ledger.posting_parts import PostingInParts
from onhand.services.ledger.postings import KnownRecords, StockLine, resolve_line
from onhand.services.tools.import_rows import RowInvalid, field_of, reason
from onhand.services.tools.import_runs import Abort, ImportPolicy, Progress, dump, run_import
from onhand.services.views import ImportReport, RowError

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

CHUNK = 2000  # rows looked up and written together
MAX_ERRORS_LISTED = 1000  # a report lists this many errors, and counts the others
KIND = "opening_stock"


def import_opening_stock(
    ctx: ServiceContext, source: str | CsvSource, *, policy: ImportPolicy = ImportPolicy.ALL_OR_NOTHING,
    on_progress: Progress | None = None, idempotency_key: str | None = None,
) -> ImportReport:
    """Columns: location, sku, quantity, lot, expiry_date, production_date, unit_cost.

    All good rows go into one `opening` posting from the adjustment location; a row's
    `unit_cost` (company currency) is what its units come in at (else the current cost).
    `source`: the file's text, or a `CsvSource` read as it goes (a long file).
    """
    return _run(ctx, source, policy=policy, on_progress=on_progress, idempotency_key=idempotency_key)


def preview_opening_stock(ctx: ServiceContext, source: str | CsvSource) -> ImportReport:
    """What `import_opening_stock` would do with `source`; writes nothing."""
    return _run(ctx, source, policy=ImportPolicy.GOOD_ROWS, preview=True)


@dataclass
class _Tally:
    """What the rows came to so far: the report's figures, with the errors listed kept short."""

    rows: int = 0
    bad_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_not_listed: int = 0

    def reject(self, errors: list[RowError]) -> None:
        self.bad_rows += 1
        room = max(MAX_ERRORS_LISTED - len(self.errors), 0)
        self.errors += errors[:room]
        self.errors_not_listed += len(errors[room:])

    def report(self, imported: int, *, posting_id: int | None = None, dry_run: bool = False) -> ImportReport:
        return ImportReport(KIND, self.rows, imported, tuple(self.errors), posting_id, dry_run=dry_run,
                            rows_rejected=self.bad_rows, errors_not_listed=self.errors_not_listed)


def _run(
    ctx: ServiceContext, source: str | CsvSource, *, policy: ImportPolicy, on_progress: Progress | None = None,
    idempotency_key: str | None = None, preview: bool = False,
) -> ImportReport:
    if isinstance(source, str):
        source = text_source(source)
    limit = ctx.limits.max_posting_lines
    estimate = max((source.line_count or 0) - 1, 0)  # less the header

    def work(uow: UnitOfWork) -> int:
        tally = _Tally()
        rows = _Rows(uow, ctx)
        posting = PostingInParts(uow, PostingKind.OPENING, reason="opening", now=ctx.now())
        for chunk in _chunks(iter_rows(source.lines(), LAYOUTS[KIND])):
            tally.rows += len(chunk)
            if tally.rows > limit:
                # One import is one transaction: a bigger one would hold the write lock for long.
                raise InvalidInput("file", f"more than the {limit} rows one import may have; "
                                   "split the file into several")
            moves = rows.moves(chunk, tally)
            # A preview writes nothing; a file that may not be written in part stops
            # writing at its first bad row (and is rolled back), but reads on for the errors.
            if not preview and not (tally.bad_rows and policy is ImportPolicy.ALL_OR_NOTHING):
                posting.add(moves)
            if on_progress:
                on_progress(tally.rows, max(estimate, tally.rows))
        if on_progress and tally.rows < estimate:
            on_progress(tally.rows, tally.rows)  # fewer rows than lines (blank ones, quoted line ends)
        if preview or (tally.bad_rows and policy is ImportPolicy.ALL_OR_NOTHING):
            # A preview, or a file that may not be written in part: roll everything back.
            raise Abort(tally.report(tally.rows - tally.bad_rows if preview else 0, dry_run=preview))
        report = tally.report(tally.rows - tally.bad_rows, posting_id=posting.posting_id)
        return uow.import_runs.add(kind=KIND, report=dump(report), created_at=ctx.now())

    # The file by its digest: a million rows are no audit entry.
    return run_import(ctx, KIND, work, preview=preview, idempotency_key=idempotency_key,
                      request={"sha256": source.sha256, "policy": policy.value})


def _chunks(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[tuple[tuple[int, dict[str, str]], ...]]:
    rows = iter(rows)
    while chunk := tuple(islice(rows, CHUNK)):
        yield chunk


class _Rows:
    """Turns rows into moves, a chunk at a time, with the lookups they share made once: the
    places and items (few, named again and again) kept for the whole import, a chunk's lots
    read together."""

    def __init__(self, uow: UnitOfWork, ctx: ServiceContext) -> None:
        self._uow = uow
        self._ctx = ctx
        self._adjustment = uow.locations.virtual(LocationKind.ADJUSTMENT)
        self._places: dict[str, Location] = {}
        self._known = KnownRecords()

    def moves(self, chunk: tuple[tuple[int, dict[str, str]], ...], tally: _Tally) -> list[MoveLine]:
        self._read_lots(chunk)
        moves = []
        for line, row in chunk:
            try:
                moves.append(self._move(row))
            except RowInvalid as bad:
                tally.reject([RowError(line, name, why) for name, why in bad.errors])
            except OnhandError as exc:
                tally.reject([RowError(line, field_of(exc), reason(exc))])
        return moves

    def _read_lots(self, chunk: tuple[tuple[int, dict[str, str]], ...]) -> None:
        """The chunk's lots of items already met, in one read (the others: one by one)."""
        items, lots = self._known.items, self._known.lots
        lots.clear()  # kept for one chunk: an import may name a million lots
        wanted = {(items[row["sku"]].id, row["lot"].strip()) for _line, row in chunk
                  if row.get("lot", "").strip() and row["sku"] in items}
        found = self._uow.lots.by_codes(wanted)
        lots.update({key: found.get(key) for key in wanted})

    def _place(self, code: str) -> Location:
        place = self._places.get(code)
        if place is None:
            place = self._places[code] = resolve.internal_location_in_use(self._uow, code)
        return place

    def _move(self, row: dict[str, str]) -> MoveLine:
        """The row's move; a bad location and a bad line are both reported."""
        errors: list[tuple[str, str]] = []
        place = None
        try:
            place = self._place(row["location"])
        except OnhandError as exc:
            errors.append((field_of(exc), reason(exc)))
        line = StockLine(
            sku=row["sku"], quantity=row["quantity"], lot=row.get("lot") or None,
            expiry_date=row.get("expiry_date") or None, production_date=row.get("production_date") or None,
            unit_cost=row.get("unit_cost") or None,
        )
        try:
            resolved = resolve_line(self._uow, line, "row", now=self._ctx.now(), known=self._known)
            if resolved.quantity <= 0:
                raise InvalidInput("quantity", "opening stock must be greater than zero")
        except OnhandError as exc:
            errors.append((field_of(exc), reason(exc)))
        if errors or place is None:
            raise RowInvalid(errors)
        move = adjustment_move(resolved.item, place, resolved.quantity, self._adjustment, resolved.lot)
        return replace(move, unit_cost=resolved.unit_cost)
