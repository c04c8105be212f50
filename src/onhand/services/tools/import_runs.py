"""What every import shares: its policy for bad rows, its progress callback, its run as one
recorded write (`import_runs`: an idempotency key replays its report) and the report read back."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from onhand.domain.audit import AuditObject
from onhand.services.context import ServiceContext, run_write
from onhand.services.views import FieldChange, ImportReport, RowChange, RowError

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

# (rows done, rows in all): rows in all may be an estimate that grows (a file read as it goes).
Progress = Callable[[int, int], None]


class ImportPolicy(StrEnum):
    ALL_OR_NOTHING = "all-or-nothing"
    GOOD_ROWS = "good-rows"


class Abort(Exception):
    """Rolls back a preview, or an all-or-nothing import that found bad rows; carries the report."""


def dump(report: ImportReport) -> str:
    return json.dumps(asdict(report))


def load(uow: UnitOfWork, run_id: int) -> ImportReport:
    data = json.loads(uow.import_runs.get(run_id))
    data["errors"] = tuple(RowError(**e) for e in data["errors"])
    data["created_ids"] = tuple(data["created_ids"])
    data["changes"] = tuple(
        RowChange(**{**c, "fields": tuple(FieldChange(**f) for f in c["fields"])}) for c in data.get("changes", ())
    )
    return ImportReport(**{**data, "run_id": run_id})


def run_import(
    ctx: ServiceContext, kind: str, work: Callable[[UnitOfWork], int], *, preview: bool,
    idempotency_key: str | None, request: dict[str, Any],
) -> ImportReport:
    """`work` (which records the run and returns its id, or raises `Abort`) as the import's one
    write: audited, replayed by its idempotency key (none for a preview); an `Abort`'s report
    is returned with nothing written."""
    try:
        return run_write(
            ctx, work, load, action=f"import_{kind}",
            subject=lambda report: AuditObject("import", str(report.run_id)),
            idempotency_key=None if preview else idempotency_key, request=request,
        )
    except Abort as abort:
        report: ImportReport = abort.args[0]
        return report
