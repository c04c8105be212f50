"""`onhand recalls report|start|release|list|show`: who received lots, and recalls or quarantines in one action."""

from __future__ import annotations

from typing import Annotated

import typer

from onhand import services
from onhand.domain.traceability.commands import RecallLots, ReleaseRecall
from onhand.entrypoints.cli.render import console, moment, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.entrypoints.cli.traceability import (
    FormatOption,
    LotsOption,
    SupplierLotOption,
    forward_tree,
    lot_refs,
    print_as,
)
from onhand.services.traceability.report_csv import recall_report_csv
from onhand.services.traceability.views import RecallView

recall_app = typer.Typer(help="Recall reports, and recalls or quarantines in one action.", no_args_is_help=True)


@recall_app.command("report")
def recall_report(
    ctx: typer.Context, lot: LotsOption = [], supplier_lot: SupplierLotOption = None,  # noqa: B006
    fmt: FormatOption = "tree",
) -> None:
    """Who received the lots (directly or inside products), and where the rest is."""
    report = services.traces.recall_report(onhand(ctx), lots=lot_refs(lot), supplier_lot=supplier_lot)
    print_as(report, fmt, lambda r: forward_tree(r.trace, r), recall_report_csv)


def recall_table(recall: RecallView) -> None:
    grid = table("SKU", "Lot", "Level", "Was", "Now", title=f"Recall {recall.reference} ({recall.status})"
                 + (f", released {moment(recall.released_at)}" if recall.released_at else ""), key="recall")
    for lot in recall.lots:
        grid.add_row(text(lot.sku), text(lot.lot), text(lot.depth), text(lot.previous_status), text(lot.status))
    out = console()
    out.print(grid)
    if recall.quarantine_location:
        out.print(f"Stock moved to {recall.quarantine_location} (posting #{recall.quarantine_posting_id})"
                  + (f"; moved back (posting #{recall.release_posting_id})" if recall.release_posting_id else ""))
    if recall.short:
        short = table("Order", "Line", "SKU", "Short", title="Orders left short", numeric=("Short",))
        for s in recall.short:
            short.add_row(text(s.order), text(s.line_no), text(s.sku), text(s.backordered))
        out.print(short)


@recall_app.command("start")
def start_recall(
    ctx: typer.Context, lot: LotsOption = [], supplier_lot: SupplierLotOption = None,  # noqa: B006
    quarantine: Annotated[str | None, typer.Option(help="Move the stock on hand to this non-sellable place.")] = None,
    status: Annotated[str, typer.Option(help="recalled or quarantined.")] = "recalled",
    reference: Annotated[str | None, typer.Option(help="Default: the next RC-000001.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Recall (or quarantine) lots and every lot built from them, at once."""
    command = RecallLots(lots=tuple(lot_refs(lot)), supplier_lot=supplier_lot, status=status,
                         quarantine_location=quarantine, reference=reference, note=note)
    recall_table(services.recalls.recall_lots(onhand(ctx), command, idempotency_key=idempotency_key))


@recall_app.command("release")
def release_recall(
    ctx: typer.Context, reference: Annotated[str, typer.Argument(help="The recall.")],
    idempotency_key: Annotated[str | None, typer.Option(help="Makes a retried command safe.")] = None,
) -> None:
    """Give the lots their status, and the stock in quarantine its place, back."""
    recall_table(services.recalls.release_recall(
        onhand(ctx), ReleaseRecall(reference), idempotency_key=idempotency_key))


@recall_app.command("show")
def show_recall(ctx: typer.Context, reference: Annotated[str, typer.Argument(help="The recall.")]) -> None:
    """One recall."""
    recall_table(services.recalls.get_recall(onhand(ctx), reference))


@recall_app.command("list")
def list_recalls(ctx: typer.Context) -> None:
    """Recalls, newest first."""
    grid = table("Reference", "Status", "Lots", "Created", "Released", title="Recalls")
    for r in services.recalls.list_recalls(onhand(ctx)):
        grid.add_row(text(r.reference), text(r.status), text(", ".join(f"{lot.sku}/{lot.lot}" for lot in r.lots)),
                     text(r.created_at), text(r.released_at))
    console().print(grid)
