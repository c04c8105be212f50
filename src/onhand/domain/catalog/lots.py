"""Lots (batches) and serials, and the one rule of expiry.

A serial number is a lot of exactly one unit: the same ledger, one more constraint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from onhand.domain.choices import parse_choice
from onhand.domain.errors import InvalidInput

LOT_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")


class LotStatus(StrEnum):
    RELEASED = "released"
    QUARANTINED = "quarantined"
    RECALLED = "recalled"


@dataclass(frozen=True)
class Lot:
    id: int
    item_id: int
    code: str
    expiry_date: date | None = None
    production_date: date | None = None
    status: LotStatus = LotStatus.RELEASED


def is_expired(expiry_date: date | None, today: date) -> bool:
    """A lot is usable through its expiry date and expired from the next day on.

    `today` is the business day in the company's time zone (see `calendar.business_day`).
    """
    return expiry_date is not None and today > expiry_date


def is_usable(lot: Lot | None, today: date) -> bool:
    """Whether stock of this lot may be sold or picked today (no lot: always)."""
    if lot is None:
        return True
    return lot_usable(lot.status, lot.expiry_date, today)


def lot_usable(status: LotStatus, expiry_date: date | None, today: date) -> bool:
    """Released and not expired: the same answer for FEFO, availability and picking."""
    return status is LotStatus.RELEASED and not is_expired(expiry_date, today)


def validate_lot_code(code: str, field: str = "lot") -> str:
    code = code.strip()
    if not LOT_CODE_PATTERN.match(code):
        raise InvalidInput(
            field,
            f"{code!r} is not a valid lot code (1-64 characters: letters, digits, . _ / -)",
        )
    return code


def validate_lot_dates(production_date: date | None, expiry_date: date | None) -> None:
    if production_date and expiry_date and expiry_date < production_date:
        raise InvalidInput("expiry_date", "must not be before the production date")


def parse_lot_status(value: str, field: str = "status") -> LotStatus:
    return parse_choice(LotStatus, value, field)


def default_expiry(
    production_date: date | None, shelf_life_days: int | None, field: str = "production_date"
) -> date | None:
    """Expiry implied by an item's shelf life when only the production date is known."""
    if production_date is None or shelf_life_days is None:
        return None
    try:
        return production_date + timedelta(days=shelf_life_days)
    except OverflowError:
        reason = f"{production_date} plus a shelf life of {shelf_life_days} days is past 9999-12-31"
        raise InvalidInput(field, reason) from None


def new_lot_expiry(
    expiry_date: date | None, production_date: date | None, shelf_life_days: int | None, where: str = ""
) -> date | None:
    """The expiry of a lot first seen now: as given, else the production date plus the
    item's shelf life. A lot of an item with a shelf life must have one or the other: a
    lot without an expiry would never expire. `where` prefixes the fields named
    (`lines[0]` → `lines[0].expiry_date`)."""
    prefix = f"{where}." if where else ""
    if expiry_date is None and production_date is None and shelf_life_days is not None:
        raise InvalidInput(
            f"{prefix}expiry_date",
            f"the item has a shelf life of {shelf_life_days} days: give the lot's expiry or production date",
        )
    return expiry_date or default_expiry(production_date, shelf_life_days, f"{prefix}production_date")
