"""Scanned barcodes: what a code names (`scan`), for receiving now and picking later.

Parsing is the domain's (`domain/catalog/scanning.py`); here the GTIN is looked up: a GTIN no
item carries is `NotFound` naming the field, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from onhand.domain.catalog.items import Item
from onhand.domain.catalog.scanning import Scan, parse_scan
from onhand.domain.errors import NotFound
from onhand.services.context import ServiceContext

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


@dataclass(frozen=True)
class ScanView:
    """What one scanned code names: the item (by GTIN) and the lot, expiry, serial, count."""

    barcode: str
    sku: str | None
    gtin: str | None
    lot: str | None
    expiry_date: date | None
    production_date: date | None
    serial: str | None
    count: Decimal | None
    symbology: str | None
    elements: tuple[tuple[str, str], ...]


def resolve_scan(uow: UnitOfWork, barcode: str, field: str = "barcode") -> tuple[Scan, Item | None]:
    """The parsed scan and the item its GTIN names (None when it carries no GTIN)."""
    parsed = parse_scan(barcode, field)
    if parsed.gtin is None:
        return parsed, None
    item = uow.items.get_by_gtin(parsed.gtin)
    if item is None:
        raise NotFound("item", parsed.gtin, field)
    return parsed, item


def scan(ctx: ServiceContext, barcode: str) -> ScanView:
    """Resolve one scanned code: the item (by GTIN), lot, expiry, serial and count it carries."""
    with ctx.reading() as uow:
        parsed, item = resolve_scan(uow, barcode)
    return ScanView(
        barcode=barcode, sku=item.sku if item else None, gtin=parsed.gtin, lot=parsed.lot,
        expiry_date=parsed.expiry_date, production_date=parsed.production_date, serial=parsed.serial,
        count=parsed.count, symbology=parsed.symbology, elements=parsed.elements,
    )
