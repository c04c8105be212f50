"""What the journal repository gives the services: typed records of booked sums."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple


class BookedSum(NamedTuple):
    effective_day: date
    kind: str
    role: str
    category: str | None
    location_id: int | None
    destination_id: int | None
    value: Decimal
    variance: Decimal
