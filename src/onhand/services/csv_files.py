"""Reading a CSV file users give (imports, opening costs): its header checked against the
columns a kind of file has, its rows as (line number, {column: value}).

A malformed file is one clear error naming the line or column; cells are trimmed, blank
rows skipped, a UTF-8 byte order mark ignored. Commas or semicolons separate the fields
(spreadsheets in many locales save ';'): the csv module's sniffer tells from the header.

Writing (exports): a text cell a spreadsheet would run as a formula is written with a
leading quote (`'=SUM…`), which reading takes off again, so an export re-imports as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from onhand.domain.errors import InvalidInput


@dataclass(frozen=True)
class CsvLayout:
    title: str  # what the file is, in a message: "an items file"
    columns: tuple[str, ...]  # every column it may have, in the documented order
    required: tuple[str, ...]


# The files Onhand imports (services/tools/imports.py); items and locations are exported in
# the same columns (services/reports/exports.py), so an export imports again.
LAYOUTS = {
    "items": CsvLayout(
        "an items file", ("sku", "name", "unit", "tracking", "gtin", "shelf_life_days"), required=("sku", "name")
    ),
    "locations": CsvLayout(
        "a locations file",
        ("code", "name", "kind", "parent", "sellable", "allow_negative",
         "address_line1", "address_line2", "city", "region", "postcode", "country"),
        required=("code", "name", "kind"),
    ),
    "opening_stock": CsvLayout(
        "an opening stock file",
        ("location", "sku", "quantity", "lot", "expiry_date", "production_date", "unit_cost"),
        required=("location", "sku", "quantity"),
    ),
}


@dataclass(frozen=True)
class CsvSource:
    """An import file read line by line, from the start each time `lines()` is called (a
    transaction retried after a conflict reads it again), so a long file need not be in memory.
    `sha256` (of its UTF-8 text) stands for it in the idempotency fingerprint and the audit
    entry; `line_count`, when known, is the progress bar's total (lines, not rows: an estimate)."""

    lines: Callable[[], Iterable[str]]
    sha256: str
    line_count: int | None = None


def text_source(text: str) -> CsvSource:
    """A file already in memory (an HTTP request's body) as a `CsvSource`."""
    return CsvSource(lambda: io.StringIO(text), hashlib.sha256(text.encode()).hexdigest(),
                     text.count("\n") + (not text.endswith("\n")))


def read_rows(text: str, layout: CsvLayout) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, {column: value}); a malformed file is one clear error."""
    return list(iter_rows(io.StringIO(text), layout))


def iter_rows(lines: Iterable[str], layout: CsvLayout) -> Iterator[tuple[int, dict[str, str]]]:
    """`read_rows` of a file given as its lines (each with its line end, as a file opened with
    `newline=""` gives them), read as the rows are asked for: a long file is never all in memory.
    The header is checked before the first row is given; a malformed row raises where it is."""
    lines = iter(lines)
    first = next(lines, "").lstrip("\ufeff")
    reader = csv.DictReader(itertools.chain((first,), lines), delimiter=delimiter_of(first), strict=True)
    # The line the record being read starts on (a quoted field may span lines).
    start = 1
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if not header:
            raise InvalidInput("file", "the CSV file is empty; a header row is needed")
        unknown = [name for name in header if name not in layout.columns]
        if unknown:
            raise InvalidInput(f"column {unknown[0]!r}", f"is not a column of {layout.title} "
                               f"(expected: {', '.join(layout.columns)})")
        missing = [name for name in layout.required if name not in header]
        if missing:
            raise InvalidInput(f"column {missing[0]!r}", "is required but missing from the header")
        reader.fieldnames = header
        start = reader.line_num + 1
        for values in reader:
            if None in values:
                raise InvalidInput(f"line {start}", "has more fields than the header")
            if any(v is None for v in values.values()):
                raise InvalidInput(f"line {start}", "has fewer fields than the header")
            if any((v or "").strip() for v in values.values()):
                yield start, {k: unguarded((v or "").strip()) for k, v in values.items()}
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"line {start}", f"malformed CSV ({exc})") from None


def delimiter_of(text: str) -> str:
    """',' or ';', as the header row uses (',' when it has a single column)."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:  # no delimiter in it: one column
        return ","


# What a spreadsheet takes for the start of a formula (OWASP's list of CSV injection triggers).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(text: str) -> str:
    """A cell no spreadsheet runs as a formula."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def unguarded(text: str) -> str:
    """A cell as it was before `guarded`."""
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA_STARTS else text


def write_rows(columns: tuple[str, ...], rows: Iterable[Iterable[object]], chunk: int = 500) -> Iterator[str]:
    """CSV text (header first, CRLF line ends as RFC 4180 has them), `chunk` rows a piece, so
    a long export streams. None is an empty cell; text cells are `guarded`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else guarded(v) if isinstance(v, str) else v for v in row])
        if count % chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
