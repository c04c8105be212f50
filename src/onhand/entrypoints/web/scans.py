"""What a scanner (or a person at a keyboard) typed: a GS1 element string or GTIN, or the
text `SKU` or `SKU/LOT`. Only telling the two apart lives here; what a code means is the
service's (`services.scanning`, the pick and receipt services)."""

from __future__ import annotations

from onhand.domain.catalog.scanning import parse_scan
from onhand.domain.errors import InvalidInput


def is_barcode(text: str) -> bool:
    """A GS1 element string or GTIN (even one with a typo, so its own error is shown)."""
    if text[:1] in ("(", "]", "\x1d") or text[:8].isdigit():
        return True
    try:
        parse_scan(text)
    except InvalidInput:
        return False
    return True


def sku_and_lot(text: str) -> tuple[str | None, str | None]:
    sku, _, lot = text.partition("/")
    return sku.strip() or None, lot.strip() or None
