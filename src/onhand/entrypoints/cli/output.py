"""What a command's tables become: Rich tables on a terminal, tab-separated lines in a
pipe, or, asked with `--json` / `--csv`, one JSON document or CSV.

Commands print tables made by `render.table` / `render.fields` (a `Listing`, which keeps
its cells as plain strings) on `render.console()`; that console hands them here. Under
`--json` and `--csv` anything else a command prints (a message, a warning) goes to
stderr, so standard output is only the data. The JSON of a listing is a list of objects
keyed by its column names in snake_case, of a `show` an object; values are the strings
shown (quantities and money exact, as text), empty cells null. A command printing
several tables gives an object of them keyed by their `key` (`order`, `lines`) or titles.
"""

from __future__ import annotations

import csv
import io
import json
import re
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"
    CSV = "csv"


class Listing(Table):
    """A Rich table that remembers its header and cells as text: rows, or (`show`) fields."""

    def __init__(self, *args: Any, fields: bool = False, key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_fields = fields
        self.key = key  # its name in a JSON document of several tables (default: from the title)
        self.cells: list[list[str]] = []

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        self.cells.append([" ".join(plain(cell).split()) for cell in renderables])
        super().add_row(*renderables, **kwargs)

    @property
    def headers(self) -> list[str]:
        return [plain(column.header) for column in self.columns]


def plain(value: Any) -> str:
    return value.plain if hasattr(value, "plain") else "" if value is None else str(value)


def key(label: str) -> str:
    """`On hand` -> `on_hand`, `Min. remaining shelf life (days)` -> `min_remaining_shelf_life_days`."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


class Output:
    """The format of the command running now and the tables kept for its JSON."""

    chosen: Format | None = None
    kept: list[Listing] = []  # noqa: RUF012 - one command runs at a time
    written = 0  # tables printed as lines so far (the next is set apart by an empty line)

    @classmethod
    def reset(cls) -> None:
        cls.chosen, cls.kept, cls.written = None, [], 0

    @classmethod
    def format(cls, out: Console) -> Format:
        if cls.chosen is not None:
            return cls.chosen
        return Format.TABLE if out.is_terminal else Format.PLAIN

    @classmethod
    def flush(cls) -> None:
        """Print the JSON document of what the command printed (at its end, once)."""
        if cls.chosen is Format.JSON and cls.kept:
            typer.echo(json.dumps(document(cls.kept), indent=2, ensure_ascii=False))
        cls.reset()


def document(listings: list[Listing]) -> Any:
    if len(listings) == 1:
        return as_json(listings[0])
    named: dict[str, Any] = {}
    for number, listing in enumerate(listings, start=1):
        name = listing.key or (key(plain(listing.title)) if listing.title else f"table_{number}")
        while name in named:
            name = f"{name}_{number}"
        named[name] = as_json(listing)
    return named


def as_json(listing: Listing) -> Any:
    if listing.is_fields:
        return {key(label): value or None for label, value, *_ in listing.cells}
    keys = [key(header) for header in listing.headers]
    return [dict(zip(keys, (value or None for value in row), strict=False)) for row in listing.cells]


def as_csv(listing: Listing) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if listing.is_fields:  # one record: the labels are the header
        writer.writerow([label for label, *_ in listing.cells])
        writer.writerow([value for _, value, *_ in listing.cells])
    else:
        writer.writerow(listing.headers)
        writer.writerows(listing.cells)
    return buffer.getvalue()


def as_plain(listing: Listing) -> str:
    """Tab-separated: the title (if any), the header (not for fields), the rows."""
    lines = [plain(listing.title)] if listing.title else []
    if not listing.is_fields:
        lines.append("\t".join(listing.headers))
    lines += ["\t".join(row) for row in listing.cells]
    return "\n".join(lines) + "\n"


def write(out: Console, listing: Listing) -> bool:
    """Print `listing` unless it is the terminal's Rich table (False: print it as Rich)."""
    chosen = Output.format(out)
    if chosen is Format.TABLE:
        return False
    if chosen is Format.JSON:
        Output.kept.append(listing)
    else:
        if Output.written:
            typer.echo("")
        typer.echo(as_csv(listing) if chosen is Format.CSV else as_plain(listing), nl=False)
        Output.written += 1
    return True


def data_only() -> bool:
    """Whether standard output carries only data (`--json`, `--csv`): messages go to stderr."""
    return Output.chosen in (Format.JSON, Format.CSV)


def _choose(fmt: Format) -> Any:
    def chosen(ctx: typer.Context, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        if Output.chosen not in (None, fmt):
            raise typer.BadParameter("--json and --csv cannot be used together")
        Output.chosen = fmt

    return chosen


def format_options() -> list[Any]:
    """The `--json` and `--csv` options (new ones for each command), made by Typer itself."""
    holder = typer.Typer(add_completion=False)

    @holder.command()
    def formats(
        as_json: Annotated[bool, typer.Option("--json", callback=_choose(Format.JSON), expose_value=False,
                                              help="Print the data as JSON (messages go to stderr).")] = False,
        as_csv: Annotated[bool, typer.Option("--csv", callback=_choose(Format.CSV), expose_value=False,
                                             help="Print the data as CSV (messages go to stderr).")] = False,
    ) -> None:  # pragma: no cover - never run, only its options are taken
        pass

    return list(typer.main.get_command(holder).params)


def prints_its_own_format(command: Any) -> bool:
    return any("--format" in getattr(param, "opts", ()) for param in command.params)


def add_format_options(command: Any, exempt: frozenset[str], path: str) -> None:
    """`--json` and `--csv` on every command under `command` (named `path`), except those
    in `exempt` (they print no data: servers, workers) and those with their own `--format`."""
    commands = getattr(command, "commands", None)  # a group
    if commands is not None:
        for name, sub in commands.items():
            add_format_options(sub, exempt, f"{path} {name}")
        return
    if path in exempt or prints_its_own_format(command):
        return
    if not any("--json" in getattr(param, "opts", ()) for param in command.params):
        command.params.extend(format_options())
