"""`onhand cycle-counts ...` (the plan and count sessions) and `onhand planning abc`.

Counting is blind: `open`, `count` and `show` print what is to be counted and what was
counted, never the book; `review` shows book vs counted before `post`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from onhand import services
from onhand.domain.planning.commands import CancelCountSession, OpenCountSession, PostCountSession, RecordCount
from onhand.domain.planning.cycle_counts import (
    DEFAULT_A_PERCENT,
    DEFAULT_ABC_WINDOW_DAYS,
    DEFAULT_B_PERCENT,
    DEFAULT_INTERVALS,
    CountSessionView,
)
from onhand.domain.quantities import parse_decimal
from onhand.entrypoints.cli.render import amount, console, measure, table, text
from onhand.entrypoints.cli.session import onhand

cycle_counts_app = typer.Typer(
    help="Cycle counts by plan: what is due, count sessions (blind), review and post.", no_args_is_help=True)

SessionId = Annotated[int, typer.Argument(help="The count session's id.")]
Window = Annotated[int, typer.Option(help="Days of shipments the classes are read from.")]
APercent = Annotated[str, typer.Option(help="Class A: the top items making up this percent of value.")]
BPercent = Annotated[str, typer.Option(help="Class B: the next this percent of value.")]
IdempotencyKey = Annotated[
    str | None, typer.Option(help="Makes a retried command safe: the same key never acts twice.")
]


def abc(ctx: typer.Context, window: Window = DEFAULT_ABC_WINDOW_DAYS, a_percent: APercent = str(DEFAULT_A_PERCENT),
        b_percent: BPercent = str(DEFAULT_B_PERCENT)) -> None:
    """ABC classes of items by cost value shipped (net of returns) over the window."""
    rows = services.cycle_counts.abc_classes(onhand(ctx), window_days=window,
                                             a_percent=parse_decimal(a_percent, "a_percent"),
                                             b_percent=parse_decimal(b_percent, "b_percent"))
    grid = table("SKU", "Value", "Share %", "Cumulative %", "Class", numeric=["Value", "Share %", "Cumulative %"])
    for r in rows:
        grid.add_row(text(r.sku), amount(r.value), *(text(v) for v in (r.share, r.cumulative, r.abc_class)))
    console().print(grid)


def _session(view: CountSessionView) -> None:
    title = f"Count session {view.id} at {view.location}: {view.status.value}"
    if view.posting_id is not None:
        title += f" (posting {view.posting_id})"
    grid = table("SKU", "Lot", "Counted", title=title, numeric=["Counted"])
    for line in view.lines:
        grid.add_row(text(line.sku), text(line.lot), measure(line.counted, line.sku))
    console().print(grid)


@cycle_counts_app.command("plan")
def plan(
    ctx: typer.Context,
    site: Annotated[str, typer.Argument(help="A warehouse, store or 3PL (its bins included).")],
    a_days: Annotated[int, typer.Option(help="Days between counts of class A.")] = DEFAULT_INTERVALS["A"],
    b_days: Annotated[int, typer.Option(help="Days between counts of class B.")] = DEFAULT_INTERVALS["B"],
    c_days: Annotated[int, typer.Option(help="Days between counts of class C.")] = DEFAULT_INTERVALS["C"],
    window: Window = DEFAULT_ABC_WINDOW_DAYS,
) -> None:
    """Item/location pairs at SITE due for a count today."""
    due = services.cycle_counts.count_plan(onhand(ctx), site_code=site, intervals={"A": a_days, "B": b_days,
                                                                                   "C": c_days}, window_days=window)
    grid = table("Class", "Location", "SKU", "Last counted", "Due since")
    for d in due:
        grid.add_row(*(text(v) for v in (d.abc_class, d.location, d.sku, d.last_counted or "never", d.due_since)))
    console().print(grid)


@cycle_counts_app.command("list")
def list_sessions(ctx: typer.Context,
                  status: Annotated[str | None, typer.Option(help="open, posted or cancelled.")] = None) -> None:
    """Count sessions, newest first."""
    grid = table("Id", "Location", "Status", "Opened", "By", "Lines", numeric=["Id", "Lines"])
    for s in services.cycle_counts.list_sessions(onhand(ctx), status=status):
        grid.add_row(*(text(v) for v in (s.id, s.location, s.status.value, s.opened_at, s.opened_by, len(s.lines))))
    console().print(grid)


@cycle_counts_app.command("open")
def open_session(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="Exactly this place: a bin, or a site without its bins.")],
    sku: Annotated[list[str] | None, typer.Option("--sku", help="Only this item; repeat for several.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Open a count session at LOCATION, freezing its book per item and lot."""
    _session(services.cycle_counts.open_session(onhand(ctx), OpenCountSession(location, skus=tuple(sku or ())),
                                                idempotency_key=idempotency_key))


@cycle_counts_app.command("count")
def count(
    ctx: typer.Context, session_id: SessionId,
    sku: Annotated[str, typer.Argument(help="The item counted.")],
    quantity: Annotated[str, typer.Argument(help="How many were found (0 for none).")],
    lot: Annotated[str | None, typer.Option(help="The lot counted (lot-tracked items).")] = None,
) -> None:
    """Record what was counted of SKU in session SESSION_ID (the book is not shown)."""
    _session(services.cycle_counts.record_count(
        onhand(ctx), RecordCount(session_id, sku, parse_decimal(quantity, "quantity"), lot=lot)))


@cycle_counts_app.command("show")
def show(ctx: typer.Context, session_id: SessionId) -> None:
    """A session as the counter sees it: lines and counts, no book."""
    _session(services.cycle_counts.get_session(onhand(ctx), session_id))


@cycle_counts_app.command("review")
def review(ctx: typer.Context, session_id: SessionId) -> None:
    """Book vs counted: frozen book, moved since, book now, counted, difference."""
    view = services.cycle_counts.review(onhand(ctx), session_id)
    grid = table("SKU", "Lot", "Frozen", "Moved since", "Expected", "Counted", "Difference",
                 title=f"Review of count session {view.id} at {view.location}: {view.status.value}", key="review",
                 numeric=["Frozen", "Moved since", "Expected", "Counted", "Difference"])
    for r in view.lines:
        grid.add_row(text(r.sku), text(r.lot),
                     *(measure(q, r.sku) for q in (r.frozen, r.moved_since, r.expected, r.counted, r.difference)))
    console().print(grid)


@cycle_counts_app.command("post")
def post(
    ctx: typer.Context, session_id: SessionId,
    reason: Annotated[str, typer.Option(help="Reason code of the count posting.")] = "count",
    note: Annotated[str | None, typer.Option()] = None,
    idempotency_key: IdempotencyKey = None,
) -> None:
    """Post the session's counts through the stock count."""
    _session(services.cycle_counts.post_session(onhand(ctx), PostCountSession(session_id, reason=reason, note=note),
                                                idempotency_key=idempotency_key))


@cycle_counts_app.command("cancel")
def cancel(ctx: typer.Context, session_id: SessionId) -> None:
    """Cancel an open session (nothing is posted)."""
    _session(services.cycle_counts.cancel_session(onhand(ctx), CancelCountSession(session_id)))
    console().print(Text(f"Cancelled count session {session_id}."))
