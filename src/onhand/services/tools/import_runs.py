"""What every import shares: its policy for bad rows, its progress callback, and its report
as recorded (`import_runs`: an idempotency key replays it) and read back."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING

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
