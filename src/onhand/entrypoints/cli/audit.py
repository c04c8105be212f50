"""`onhand audit`: who did what to which object, newest first (the same filters as the API)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.audit import AuditEntry
from onhand.entrypoints.cli.render import console, table, text
from onhand.entrypoints.cli.session import onhand


def _changes(entry: AuditEntry) -> str:
    """`field: before → after` for an update, `field=value` for a create or an action."""
    before, after = entry.before or {}, entry.after or {}
    if entry.before is None:
        return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in after.items())
    return ", ".join(
        f"{k}: {json.dumps(before.get(k), ensure_ascii=False)} → {json.dumps(after.get(k), ensure_ascii=False)}"
        for k in {**before, **after}
    )


def audit(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option(help="api_key:3, cli:alice, cli (any CLI user), user:7 or system.")
    ] = None,
    object_type: Annotated[str | None, typer.Option(help="item, sales_order, posting, api_key, …")] = None,
    object_key: Annotated[str | None, typer.Option(help="The object's SKU, reference, id, …")] = None,
    action: Annotated[str | None, typer.Option(help="create_item, ship_order, revoke_api_key, …")] = None,
    since: Annotated[str | None, typer.Option(help="From (inclusive), ISO 8601 with an offset.")] = None,
    until: Annotated[str | None, typer.Option(help="Until (exclusive), ISO 8601 with an offset.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries (1-1000).")] = 50,
    before: Annotated[int | None, typer.Option(help="Only entries older than this id (to page back).")] = None,
) -> None:
    """The audit log, newest first: every change, who made it, and what changed."""
    page = services.audit.list_audit(
        onhand(ctx), actor=actor, object_type=object_type, object_key=object_key, action=action,
        since=since, until=until, limit=limit, before_id=before,
    )
    grid = table("Id", "At", "Actor", "Action", "Object", "Changes", numeric=["Id"])
    for entry in page.entries:
        grid.add_row(
            text(entry.id), text(entry.at), text(f"{entry.actor.reference} ({entry.actor.name})"),
            text(entry.action), text(f"{entry.object.type} {entry.object.key}"), text(_changes(entry)),
        )
    out = console()
    out.print(grid)
    if page.next_before_id is not None:
        out.print(Text(f"More: --before {page.next_before_id}"))
