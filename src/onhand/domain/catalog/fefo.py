"""First-expired-first-out: which lots to take, in which order. One home for the rule.

A lot qualifies for an order if it is usable today (released, not expired) and will
still have the required remaining shelf life on the requested ship date. Lots without
expiry come after all dated lots; ties go to the older lot (lower id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from onhand.domain.catalog.lots import LotStatus, lot_usable


@dataclass(frozen=True)
class LotStock:
    """What one lot (or the untracked stock, lot_id None) has free at one location."""

    location_id: int
    lot_id: int | None
    lot_code: str | None
    expiry_date: date | None
    status: LotStatus
    available: Decimal


def fefo_key(stock: LotStock) -> tuple[bool, date, int]:
    return (stock.expiry_date is None, stock.expiry_date or date.max, stock.lot_id or 0)


def good_until(ship_date: date, min_remaining_days: int) -> date:
    """The earliest expiry a lot may have to be shipped on `ship_date`."""
    return ship_date + timedelta(days=min_remaining_days)


def qualifies(stock: LotStock, *, today: date, ship_date: date, min_remaining_days: int) -> bool:
    if not lot_usable(stock.status, stock.expiry_date, today):
        return False
    return stock.expiry_date is None or stock.expiry_date >= good_until(ship_date, min_remaining_days)


def fefo(
    stocks: Iterable[LotStock], *, today: date, ship_date: date, min_remaining_days: int = 0
) -> list[LotStock]:
    """The qualifying lots with free stock, first-expired first."""
    eligible = [
        s for s in stocks
        if s.available > 0
        and qualifies(s, today=today, ship_date=ship_date, min_remaining_days=min_remaining_days)
    ]
    return sorted(eligible, key=fefo_key)


def take(stocks: Iterable[LotStock], need: Decimal) -> list[tuple[LotStock, Decimal]]:
    """Plan to take `need` from `stocks` in the given order (as much as there is)."""
    plan = []
    for stock in stocks:
        if need <= 0:
            break
        amount = min(stock.available, need)
        plan.append((stock, amount))
        need -= amount
    return plan
