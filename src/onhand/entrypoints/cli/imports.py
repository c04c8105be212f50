"""`onhand import items|locations|stock FILE`: CSV import with progress and a row report."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.entrypoints.cli.errors import exit_code_of, fail
from onhand.entrypoints.cli.render import console, err_console, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.csv_files import CsvSource
from onhand.services.tools.import_rows import ImportMode
from onhand.services.tools.imports import ImportPolicy
from onhand.services.views import ImportReport

import_app = typer.Typer(
    help="Import CSV files: items, locations, opening stock. All or nothing unless --policy good-rows.",
    no_args_is_help=True,
)
# Rejected rows are bad input: the same exit code as InvalidInput.
REJECTED_ROWS_EXIT_CODE = exit_code_of(InvalidInput)

FileArgument = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV file with a header row.")
]
PolicyOption = Annotated[
    ImportPolicy, typer.Option(help="all-or-nothing: any bad row writes nothing; good-rows: write the rest.")
]
IdempotencyKey = Annotated[str | None, typer.Option(help="Makes a retried import safe.")]
ModeOption = Annotated[
    ImportMode, typer.Option(help="create: a row naming an existing record is an error; "
                             "upsert: change it where the file differs.")
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would be created or changed; write nothing.")]
Importer = Callable[..., ImportReport]
Previewer = Callable[..., ImportReport]


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise fail(f"{path}: not a UTF-8 text file", REJECTED_ROWS_EXIT_CODE) from None


def stream(path: Path) -> CsvSource:
    """The file as the import reads it, line by line (a long file is never all in memory),
    after one pass over its bytes: its digest, its line count (the progress bar's total)
    and a check that it is UTF-8 text."""
    digest, lines, decoder = hashlib.sha256(), 0, codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as raw:
            while block := raw.read(1 << 20):
                digest.update(block)
                lines += block.count(b"\n")
                decoder.decode(block)
                last = block
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise fail(f"{path}: not a UTF-8 text file", REJECTED_ROWS_EXIT_CODE) from None
    if lines == 0 or not last.endswith(b"\n"):
        lines += 1

    def read_lines() -> Iterator[str]:
        with path.open(encoding="utf-8-sig", newline="") as text_file:
            yield from text_file

    return CsvSource(read_lines, digest.hexdigest(), lines)


def run_preview(ctx: typer.Context, previewer: Previewer, source: str | CsvSource, **options: object) -> None:
    """Show what an import would do, row by row; fail if any row would be rejected."""
    report = previewer(onhand(ctx), source, **options)
    print_changes(report)
    print_report(report, ImportPolicy.GOOD_ROWS)
    if not report.ok:
        raise typer.Exit(REJECTED_ROWS_EXIT_CODE)


def run_import(
    ctx: typer.Context, importer: Importer, path: Path, *, policy: ImportPolicy, key: str | None,
    source: CsvSource | None = None, **options: object,
) -> None:
    """Run one import with a progress bar, print its report, fail if any row was rejected.
    `source`: the file read as it goes (opening stock), else it is read whole."""
    content = read(path) if source is None else source
    target = onhand(ctx)
    progress = Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console(),
    )
    task: list[TaskID] = []

    def on_progress(done: int, total: int) -> None:
        # Started on the first row, so a file refused as a whole shows only its error.
        if not task:
            progress.start()
            task.append(progress.add_task(f"Importing {path.name}", total=total))
        progress.update(task[0], completed=done, total=total)

    try:
        report = importer(target, content, policy=policy, on_progress=on_progress, idempotency_key=key, **options)
    finally:
        if task:
            progress.stop()
    print_report(report, policy)
    if not report.ok:
        raise typer.Exit(REJECTED_ROWS_EXIT_CODE)


def print_changes(report: ImportReport) -> None:
    """A dry run's row by row outcome: created, updated (old → new per field), unchanged
    (an opening stock file has none: its summary counts the rows)."""
    if not report.changes and report.kind == "opening_stock":
        console().print(Text("Dry run: nothing was written."))
        return
    grid = table("Line", "Key", "Outcome", "Changes", title="Dry run: nothing was written", numeric=["Line"])
    for change in report.changes:
        fields = "; ".join(f"{f.field}: {f.old or '—'} → {f.new or '—'}" for f in change.fields)
        grid.add_row(text(change.line), text(change.key), text(change.outcome), text(fields))
    console().print(grid)


def print_report(report: ImportReport, policy: ImportPolicy) -> None:
    out = console()
    if report.errors:
        grid = table("Line", "Field", "Reason", title="Rejected rows", numeric=["Line"])
        for error in report.errors:
            grid.add_row(text(error.line), text(error.field), text(error.reason))
        out.print(grid)
    verb = "Would import" if report.dry_run else "Imported"
    summary = f"{verb} {report.rows_imported} of {report.rows_total} rows"
    counts = {outcome: sum(c.outcome == outcome for c in report.changes) for outcome in ("updated", "unchanged")}
    if any(counts.values()):
        summary += f" ({counts['updated']} updated, {counts['unchanged']} unchanged)"
    if report.errors:
        rejected = report.rows_rejected if report.rows_rejected is not None else len({e.line for e in report.errors})
        summary += f"; {rejected} rejected"
        if report.errors_not_listed:
            summary += f" ({report.errors_not_listed} more errors not listed)"
        if policy is ImportPolicy.ALL_OR_NOTHING:
            summary += " (all-or-nothing: nothing was written)"
    if report.posting_id is not None:
        summary += f"; posting #{report.posting_id}"
    out.print(Text(summary + ".", style="yellow" if report.errors else "green"))


@import_app.command("items")
def import_items(
    ctx: typer.Context,
    file: FileArgument,
    policy: PolicyOption = ImportPolicy.ALL_OR_NOTHING,
    mode: ModeOption = ImportMode.CREATE,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Items. Columns: sku, name, unit, tracking, gtin, shelf_life_days."""
    if dry_run:
        run_preview(ctx, services.imports.preview_items, read(file), mode=mode)
    else:
        run_import(ctx, services.imports.import_items, file, policy=policy, key=idempotency_key, mode=mode)


@import_app.command("locations")
def import_locations(
    ctx: typer.Context,
    file: FileArgument,
    policy: PolicyOption = ImportPolicy.ALL_OR_NOTHING,
    mode: ModeOption = ImportMode.CREATE,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Locations. Columns: code, name, kind, parent, sellable, allow_negative, address_line1,
    address_line2, city, region, postcode, country."""
    if dry_run:
        run_preview(ctx, services.imports.preview_locations, read(file), mode=mode)
    else:
        run_import(ctx, services.imports.import_locations, file, policy=policy, key=idempotency_key, mode=mode)


@import_app.command("stock")
def import_stock(
    ctx: typer.Context,
    file: FileArgument,
    policy: PolicyOption = ImportPolicy.ALL_OR_NOTHING,
    dry_run: DryRun = False,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Opening stock, one posting. Columns: location, sku, quantity, lot, expiry_date,
    production_date, unit_cost."""
    if dry_run:
        run_preview(ctx, services.imports.preview_opening_stock, stream(file))
    else:
        run_import(ctx, services.imports.import_opening_stock, file, policy=policy, key=idempotency_key,
                   source=stream(file))
