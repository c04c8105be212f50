"""Reading a CSV file users give (imports, opening costs): its header checked against the
columns a kind of file has, its rows as (line number, {column: value}).

A malformed file is one clear error naming the line or column; cells are trimmed, blank
rows skipped, a UTF-8 byte order mark ignored. Commas or semicolons separate the fields
(spreadsheets in many locales save ';'): the csv module's sniffer tells from the header.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from onhand.domain.errors import InvalidInput


@dataclass(frozen=True)
class CsvLayout:
    title: str  # what the file is, in a message: "an items file"
    columns: tuple[str, ...]  # every column it may have, in the documented order
    required: tuple[str, ...]


def read_rows(text: str, layout: CsvLayout) -> list[tuple[int, dict[str, str]]]:
    """Rows as (line number, {column: value}); a malformed file is one clear error."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter_of(text), strict=True)
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
        rows = []
        for values in reader:
            if None in values:
                raise InvalidInput(f"line {start}", "has more fields than the header")
            if any(v is None for v in values.values()):
                raise InvalidInput(f"line {start}", "has fewer fields than the header")
            if any((v or "").strip() for v in values.values()):
                rows.append((start, {k: (v or "").strip() for k, v in values.items()}))
            start = reader.line_num + 1
        return rows
    except csv.Error as exc:
        raise InvalidInput(f"line {start}", f"malformed CSV ({exc})") from None


def delimiter_of(text: str) -> str:
    """',' or ';', as the header row uses (',' when it has a single column)."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:  # no delimiter in it: one column
        return ","
