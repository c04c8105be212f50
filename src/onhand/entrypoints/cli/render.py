"""Turning read models into Rich tables and plain text.

Values that come from users (names, codes, reasons) are wrapped in `Text` so that
Rich never reads them as markup.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.text import Text

from onhand.domain.errors import NotFound
from onhand.domain.money import minor_unit
from onhand.domain.quantities import UnitOfMeasure
from onhand.entrypoints.cli.output import Listing, data_only, write
from onhand.services.views import MoveView, PostingView

if TYPE_CHECKING:
    from onhand.bootstrap import Onhand

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


class Shown:
    """What this command's values are shown in: the company's time zone and currency and
    each item's unit, read from the open Onhand when first needed (once per command)."""

    onhand: Onhand | None = None
    _zone: ZoneInfo | None = None
    _currency: str | None = None
    _units: dict[str, UnitOfMeasure | None] = {}  # noqa: RUF012 - one command runs at a time

    @classmethod
    def bind(cls, onhand: Onhand | None) -> None:
        cls.onhand, cls._zone, cls._currency, cls._units = onhand, None, None, {}

    @classmethod
    def _company(cls) -> None:
        from onhand import services

        if cls.onhand is None:
            return
        company = services.company.get_company(cls.onhand)
        cls._zone, cls._currency = ZoneInfo(company.timezone), company.currency

    @classmethod
    def zone(cls) -> ZoneInfo | None:
        if cls._zone is None:
            cls._company()
        return cls._zone

    @classmethod
    def currency(cls) -> str | None:
        if cls._currency is None:
            cls._company()
        return cls._currency

    @classmethod
    def unit(cls, sku: str) -> UnitOfMeasure | None:
        """`sku`'s unit of measure (None: no such item, or no database open)."""
        from onhand import services

        if sku not in cls._units:
            found = None
            if cls.onhand is not None:
                with suppress(NotFound):  # a SKU since deleted, or a kit's name: shown as stored
                    found = services.items.get_item(cls.onhand, sku).unit
            cls._units[sku] = found
        return cls._units[sku]


def figure(value: Decimal, decimals: int | None) -> str:
    """`value` with at least `decimals` places and no trailing zeros beyond them (never
    rounded: a finer value keeps its digits). None: as few places as it needs."""
    exponent = value.normalize().as_tuple().exponent
    places = max(-exponent if isinstance(exponent, int) else 0, decimals or 0, 0)
    return f"{value:.{places}f}"


def quantity(value: Decimal, sku: str | None = None) -> str:
    """A quantity of `sku`, to its unit's decimals (`5` each, `1.250` kg)."""
    unit = None if sku is None else Shown.unit(sku)
    return f"{value:f}" if unit is None else figure(value, unit.decimals)


def per_unit(quantities: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Quantities of several SKUs summed per unit of measure (`each`, `kg`): a total over
    different units is no one number. An item of unknown unit counts under `?`."""
    totals: dict[str, Decimal] = {}
    for sku, value in quantities:
        unit = Shown.unit(sku)
        code = unit.code if unit is not None else "?"
        totals[code] = totals.get(code, Decimal(0)) + value
    return totals


def unit_total(quantities: Iterable[tuple[str, Decimal]]) -> Text:
    """A total quantity over rows: one number when they share a unit (`7.500`, like the rows),
    else one per unit (`12 each; 7.500 kg`)."""
    totals = per_unit(quantities)
    decimals = {u.code: u.decimals for u in Shown._units.values() if u is not None}
    if len(totals) == 1:
        [(code, total)] = totals.items()
        return Text(figure(total, decimals.get(code)))
    return Text("; ".join(f"{figure(total, decimals.get(code))} {code}" for code, total in totals.items()))


def measure(value: Decimal | None, sku: str | None) -> Text:
    return Text("") if value is None else Text(quantity(value, sku))


def amount(value: Decimal | None, currency: str | None = None) -> Text:
    """Money in `currency` (default the company's), to its minor unit (`2.50` USD, `1500` JPY)."""
    if value is None:
        return Text("")
    code = currency or Shown.currency()
    places = -minor_unit(code).as_tuple().exponent if code else None
    return Text(figure(value, places if isinstance(places, int) else None))


def local(value: datetime) -> datetime:
    """`value` in the company's time zone (a naive one is taken as UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = Shown.zone()
    return value if zone is None else value.astimezone(zone)


def iso_moment(value: datetime) -> str:
    """ISO 8601 in the company's time zone with its offset: `2026-03-01T09:30:00-05:00`."""
    return local(value).isoformat(timespec="seconds")


def moment(value: datetime) -> str:
    """A moment in the company's time zone with its offset: `2026-03-01 09:30:00 -05:00`
    (ISO 8601, `2026-03-01T09:30:00-05:00`, under `--json` and `--csv`)."""
    iso = iso_moment(value)
    return iso if data_only() else f"{iso[:10]} {iso[11:19]} {iso[19:]}"


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
            text(move.to_location), measure(move.quantity, move.sku),
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
