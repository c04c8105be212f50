"""`onhand orders fulfil`: allocate and ship orders in waves.

References come as arguments and/or from a file (one per line); they are sent in
waves of `--wave-size` (each one transaction), with a progress bar on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from onhand import services
from onhand.entrypoints.cli.render import console, err_console, table, text
from onhand.entrypoints.cli.session import onhand
from onhand.services.orders.waves import MAX_WAVE, WaveResult


def fulfil(
    ctx: typer.Context,
    references: Annotated[list[str] | None, typer.Argument(help="Order references, e.g. SO-000001.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A file of order references, one per line.")] = None,
    wave_size: Annotated[int, typer.Option(min=1, max=MAX_WAVE, help="Orders per wave (one transaction each).")] = 200,
) -> None:
    """Allocate and ship orders: each order stock covers in full ships now (routed, FEFO);
    the rest is allocated as far as stock allows and waits, backordered."""
    wanted = list(references or [])
    if file is not None:
        try:
            wanted += [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        except OSError as exc:
            raise typer.BadParameter(f"cannot read {file}: {exc.strerror}", param_hint="'--file'") from None
    if not wanted:
        raise typer.BadParameter("give order references as arguments or with --file", param_hint="REFERENCES")
    target = onhand(ctx)
    results: list[WaveResult] = []
    progress = Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console(), transient=True,
    )
    with progress:
        task = progress.add_task("Fulfilling orders", total=len(wanted))
        for start in range(0, len(wanted), wave_size):
            wave = wanted[start:start + wave_size]
            results.append(services.waves.fulfil_orders(target, wave))
            progress.update(task, advance=len(wave))
    _print(results)


def _print(results: list[WaveResult]) -> None:
    listing = table("Order", "Status", "Shipped now", "Note", title="Wave")
    for result in results:
        for order in result.orders:
            listing.add_row(text(order.reference), text(order.status), "yes" if order.shipped else "",
                            text(order.note))
    out = console()
    out.print(listing)
    counts = [sum(len(getattr(r, name)) for r in results) for name in ("shipped", "waiting", "skipped")]
    out.print("{} shipped, {} waiting, {} skipped".format(*counts))
