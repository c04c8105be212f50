"""What one scanned barcode says: a GTIN, or a GS1 element string (GS1-128, DataMatrix, QR).

A scanner hands over text in one of three forms, all accepted:

- the raw element string, variable-length fields ended by FNC1 as the group
  separator `\\x1d` (`010703206980498817250600\\x1d10ABC`), usually after a symbology
  identifier (`]C1` GS1-128, `]d2` GS1 DataMatrix, `]Q3` GS1 QR, `]e0` DataBar);
- the human-readable form with parenthesised AIs (`(01)07032069804988(10)ABC`);
- a bare GTIN-8/12/13/14 (EAN/UPC, ITF-14), possibly after `]E0`, `]E4`, `]I1`.

The element strings are split by `biip` (a pure parsing library). Of them Onhand uses
GTIN (AI 01, or 02 for contents), batch/lot (10), production date (11), expiry (17,
where day `00` means the last day of the month), serial (21) and count (30, 37).
Everything else is kept in `elements`. Nothing here looks anything up.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.catalog.gtin import GTIN_LENGTHS, normalize_gtin
from onhand.domain.errors import InvalidInput

if TYPE_CHECKING:
    from biip.gs1_messages import GS1Message

# biip is imported where a scan is parsed, not with this module: loading it (its table of
# GS1 company prefixes) took 60 ms of every command's start.

GROUP_SEPARATOR = "\x1d"
# Symbology identifiers (ISO/IEC 15424) of symbols that carry GS1 element strings.
GS1_SYMBOLOGIES = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})
MAX_SCAN_LENGTH = 500


@dataclass(frozen=True)
class Scan:
    """The parts of one scan that matter to stock; absent parts are None."""

    raw: str
    gtin: str | None = None  # always GTIN-14
    lot: str | None = None
    expiry_date: date | None = None
    production_date: date | None = None
    serial: str | None = None
    count: Decimal | None = None
    symbology: str | None = None
    # Every element string as (AI, value), in the order scanned.
    elements: tuple[tuple[str, str], ...] = ()


def parse_scan(value: str, field: str = "barcode") -> Scan:
    """Parse one scanned code, or raise `InvalidInput(field, why)`: never a guess."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be the scanned text")
    text = value.strip(" \t\r\n")
    if not text:
        raise InvalidInput(field, "is empty")
    if len(text) > MAX_SCAN_LENGTH:
        raise InvalidInput(field, f"must be at most {MAX_SCAN_LENGTH} characters")
    symbology = None
    if text.startswith("]") and len(text) >= 3:
        symbology, text = text[:3], text[3:]
    # Some scanners send FNC1 in first position as a group separator too.
    text = text.lstrip(GROUP_SEPARATOR)
    if not text:
        raise InvalidInput(field, "holds a symbology identifier and nothing else")
    if text.startswith("("):
        return _from_elements(value, symbology, _parse_hri(text, field), field)
    if symbology not in GS1_SYMBOLOGIES and text.isascii() and text.isdigit() and len(text) in GTIN_LENGTHS:
        return Scan(raw=value, gtin=normalize_gtin(text, field), symbology=symbology)
    import biip

    result = biip.parse(text)
    if result.gs1_message is None:
        reason = result.gs1_message_error or "is not a GTIN or a GS1 element string"
        raise InvalidInput(field, f"not a GTIN or GS1 element string ({_first_line(reason)})")
    return _from_elements(value, symbology, _pairs(result.gs1_message), field)


def _parse_hri(text: str, field: str) -> tuple[tuple[str, str], ...]:
    import biip
    from biip.gs1_messages import GS1Message

    try:
        message = GS1Message.parse_hri(text)
    except biip.ParseError as exc:
        raise InvalidInput(field, f"not a GS1 element string ({_first_line(str(exc))})") from None
    return _pairs(message)


def _pairs(message: GS1Message) -> tuple[tuple[str, str], ...]:
    return tuple((element.ai.ai, element.value) for element in message.element_strings)


def _from_elements(
    raw: str, symbology: str | None, elements: tuple[tuple[str, str], ...], field: str
) -> Scan:
    found: dict[str, str] = {}
    for ai, data in elements:
        if ai in found and found[ai] != data:
            raise InvalidInput(field, f"AI ({ai}) appears twice with different values")
        found[ai] = data
    gtin_text = found.get("01") or found.get("02")
    count_text = found.get("30") or found.get("37")
    count = None
    if count_text is not None:
        if not (count_text.isascii() and count_text.isdigit()):  # int() would read '١٢' as 12
            raise InvalidInput(field, f"count ({'30' if '30' in found else '37'}) must be ASCII digits")
        count = Decimal(int(count_text))
        if count <= 0:
            raise InvalidInput(field, f"count ({'30' if '30' in found else '37'}) must be greater than zero")
    return Scan(
        raw=raw,
        gtin=normalize_gtin(gtin_text, field) if gtin_text else None,
        lot=found.get("10"),
        expiry_date=gs1_date(found["17"], field) if "17" in found else None,
        production_date=gs1_date(found["11"], field) if "11" in found else None,
        serial=found.get("21"),
        count=count,
        symbology=symbology,
        elements=elements,
    )


def gs1_date(yymmdd: str, field: str = "barcode", *, century: int = 2000) -> date:
    """A GS1 date field: YYMMDD, day `00` meaning the last day of the month.

    Years are read in the 21st century by default: lots expiring in the 2000s.
    """
    if len(yymmdd) != 6 or not yymmdd.isdigit():
        raise InvalidInput(field, f"{yymmdd!r} is not a GS1 date (YYMMDD)")
    year, month, day = century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= month <= 12:
        raise InvalidInput(field, f"{yymmdd!r} has no month {month}")
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        day = last
    if day > last:
        raise InvalidInput(field, f"{yymmdd!r} is not a date (day {day} of {year}-{month:02d})")
    return date(year, month, day)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unreadable"
