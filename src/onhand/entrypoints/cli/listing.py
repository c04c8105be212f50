"""Options every listing shares."""

from __future__ import annotations

from typing import Annotated

import typer

# A pulling integration's mark (the API's `updated_since`), read by the service.
UpdatedSince = Annotated[str | None, typer.Option(
    help="Only what changed at or after this moment: ISO 8601 with an offset, e.g. 2026-03-02T09:00:00Z.")]

# Listings of items and locations leave archived ones out unless asked.
IncludeArchived = Annotated[bool, typer.Option("--include-archived", help="List archived ones too.")]
