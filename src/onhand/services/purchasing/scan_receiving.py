"""Receiving by scanner: one scanned GS1 string (item, lot, expiry, count) against a
purchase order, refused at once with a specific reason — the item is not on this order,
the receipt would pass the ordered quantity plus tolerance (`OverReceipt`), or the lot
has already expired (the one expiry rule: `domain/catalog/lots.py: is_expired`).
"""

from __future__ import annotations

from decimal import Decimal

from onhand.domain.calendar import business_day, time_zone
from onhand.domain.catalog.lots import is_expired
from onhand.domain.catalog.scanning import parse_scan
from onhand.domain.errors import InvalidInput
from onhand.domain.purchasing.commands import ReceivePurchaseOrder
from onhand.services.context import ServiceContext
from onhand.services.purchasing.receiving import ReceiptLine, receive_purchase_order
from onhand.services.purchasing.views import ReceiptView


def receive_scan(
    ctx: ServiceContext, reference: str, *, barcode: str, quantity: Decimal | int | str | None = None,
    location: str | None = None, idempotency_key: str | None = None,
) -> ReceiptView:
    """Receive what one scan names into `location` (a bin of the order's destination, or
    the destination itself); `quantity` defaults to the scanned count, else 1."""
    scanned = parse_scan(barcode, "barcode")
    with ctx.reading() as uow:
        today = business_day(ctx.now(), time_zone(uow.company.get().timezone))
    if is_expired(scanned.expiry_date, today):
        raise InvalidInput("barcode", f"lot {scanned.lot or '(none)'} expired on {scanned.expiry_date}; "
                                      "expired goods are not received")
    line = ReceiptLine(barcode=barcode, quantity=quantity if quantity not in (None, "") else None,
                       location=location or None)
    return receive_purchase_order(ctx, ReceivePurchaseOrder(reference, lines=(line,)), idempotency_key=idempotency_key)
