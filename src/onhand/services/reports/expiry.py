"""Expiring stock: lots that expire within N days, with their quantities per location,
and lots already expired that are still on hand. Expired means what
`domain/catalog/lots.py: is_expired` says (usable through the expiry date), today being
the company's business day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from onhand.domain.catalog.lots import is_expired
from onhand.domain.errors import InvalidInput
from onhand.services.context import ServiceContext, today

MAX_DAYS = 3650


@dataclass(frozen=True)
class ExpiringStock:
    sku: str
    lot: str
    expiry_date: date
    days_left: int  # negative: expired that many days ago (0: its last usable day)
    expired: bool
    status: str
    location: str
    on_hand: Decimal
    reserved: Decimal


def expiring_stock(ctx: ServiceContext, *, days: int = 30) -> list[ExpiringStock]:
    """Stock at internal locations of lots expiring within `days` days from today, and
    of lots already expired, by expiry date."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"must be a whole number from 0 to {MAX_DAYS}")
    with ctx.reading() as uow:
        now = today(ctx, uow)
        places = uow.locations.by_id()
        rows = uow.traces.expiring(through=now + timedelta(days=days))
    return [
        ExpiringStock(
            sku=r.sku, lot=r.lot_code, expiry_date=r.expiry_date, days_left=(r.expiry_date - now).days,
            expired=is_expired(r.expiry_date, now), status=r.status, location=places[r.location_id].code,
            on_hand=r.on_hand, reserved=r.reserved,
        )
        for r in rows if places[r.location_id].is_internal
    ]


def expired_stock(ctx: ServiceContext) -> list[ExpiringStock]:
    """Stock of expired lots still at internal locations."""
    return [row for row in expiring_stock(ctx, days=0) if row.expired]
