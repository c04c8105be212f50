"""Turning read models into Rich tables and plain text.

Values that come from users (names, codes, reasons) are wrapped in `Text` so that
Rich never reads them as markup.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from onhand.entrypoints.cli.output import Listing, data_only, write
from onhand.services.views import MoveView, PostingView

# Columns of free text, which may wrap; codes, dates and numbers stay on one line.
WRAPPING = frozenset({"Name", "Reason", "Reference", "Note", "City", "Region", "Changes"})
# Width when writing to a file or pipe: wide enough that tables never fold.
PIPE_WIDTH = 240


class OnhandConsole(Console):
    """Standard output: tables as the output format says (cli/output.py); under `--json`
    or `--csv` everything else on stderr."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        for item in objects:
            if isinstance(item, Listing) and write(self, item):
                continue
            if data_only():
                err_console().print(item, **kwargs)
            else:
                super().print(item, **kwargs)


def console() -> Console:
    """Standard output, made when needed so that it follows the stream in use."""
    out = OnhandConsole(highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = PIPE_WIDTH
    return out


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_secret(secret: str) -> None:
    """A secret shown once: a plain line never wrapped or styled, or under `--json` / `--csv`
    the field `secret` of the data."""
    out = console()
    if data_only():
        out.print(fields([("Secret", secret)], title="Secret"))
    else:
        typer.echo(secret)


def text(value: object) -> Text:
    if value is None:
        return Text("")
    if isinstance(value, Decimal):
        return Text(quantity(value))
    if isinstance(value, datetime):
        return Text(moment(value))
    if isinstance(value, date):
        return Text(value.isoformat())
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    return Text(str(value))


def quantity(value: Decimal) -> str:
    return f"{value:f}"


def moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def table(*columns: str, title: str | None = None, numeric: Iterable[str] = (), key: str | None = None) -> Listing:
    """A table whose columns named in `numeric` are right-aligned; `key` names it in JSON
    (where the title holds data: `Order SO-000001` is `order`)."""
    right = set(numeric)
    grid = Listing(title=title, title_justify="left", show_lines=False, key=key)
    for name in columns:
        grid.add_column(
            name, justify="right" if name in right else "left",
            no_wrap=name not in WRAPPING, overflow="fold",
        )
    return grid


def fields(pairs: Iterable[tuple[str, object]], title: str | None = None, key: str | None = None) -> Listing:
    """A two-column table of labels and values, for `show` commands."""
    grid = Listing(title=title, title_justify="left", show_header=False, fields=True, key=key)
    grid.add_column("field", style="bold")
    grid.add_column("value", overflow="fold")
    for label, value in pairs:
        grid.add_row(label, text(value))
    return grid


def moves_table(moves: Iterable[MoveView], title: str | None = None) -> Listing:
    grid = table("SKU", "Lot", "From", "To", "Quantity", title=title, numeric=["Quantity"])
    for move in moves:
        grid.add_row(
            text(move.sku), text(move.lot), text(move.from_location),
            text(move.to_location), text(move.quantity),
        )
    return grid


def print_posting(posting: PostingView) -> None:
    """A posting just written: its number, kind and moves."""
    out = console()
    detail = [posting.kind]
    if posting.reason:
        detail.append(f"reason {posting.reason}")
    if posting.reference:
        detail.append(f"reference {posting.reference}")
    out.print(Text(f"Posting #{posting.id} ({', '.join(detail)}): {len(posting.moves)} move(s)"))
    if posting.moves:
        out.print(moves_table(posting.moves))
