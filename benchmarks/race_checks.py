"""Proving R16 promised nothing twice: zero oversell, checked four ways, untimed.

1. `services.integrity.verify`: every balance's reserved == the sum of its
   reservations, and no balance promises more than it holds.
2. `stock_levels` per SKU and exact location: reserved ≤ on hand everywhere.
3. Per SKU, what the services granted the clients (in the orders `allocate_order`
   returned) == what the orders show as reserved when read back afterwards == what
   `stock_levels` says is reserved.
4. Per SKU, nothing granted beyond what the driver received.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from benchmarks.races import Race, Tally
from onhand import services
from onhand.bootstrap import Onhand
from onhand.services.views import VerifyReport

PAGE = 1000


@dataclass(frozen=True)
class RaceVerdict:
    oversold: int  # units promised beyond stock, the most any of the checks found
    granted: Counter[str]
    problems: tuple[str, ...]
    report: VerifyReport

    @property
    def ok(self) -> bool:
        return not self.problems and self.report.ok


def check_race(onhand: Onhand, race: Race, tallies: Sequence[Tally]) -> RaceVerdict:
    granted: Counter[str] = Counter()
    for tally in tallies:
        granted.update(tally.granted)
    report = services.integrity.verify(onhand)
    by_verify = sum(max(Decimal(0), d.actual - max(d.expected, Decimal(0))) for d in report.oversold)

    problems: list[str] = []
    by_place = 0
    for level in services.stock.stock_levels(onhand, group_by="bin").levels:
        if level.reserved > level.on_hand:
            by_place += int(level.reserved - level.on_hand)
            problems.append(f"{level.sku} at {level.location}: {level.reserved} reserved, {level.on_hand} on hand")

    by_supply = 0
    for sku in sorted(granted):
        if granted[sku] > race.supply[sku]:
            by_supply += granted[sku] - race.supply[sku]
            problems.append(f"{sku}: {granted[sku]} granted, only {race.supply[sku]} received")

    shown = _reserved_on_orders(onhand, race.channel)
    in_stock = _reserved_in_stock(onhand, race)
    problems += [
        f"{sku}: granted {granted[sku]}, orders show {shown[sku]}, stock levels {in_stock[sku]} reserved"
        for sku in sorted(race.supply)
        if not granted[sku] == shown[sku] == in_stock[sku]
    ]
    oversold = max(int(by_verify), by_place, by_supply)
    return RaceVerdict(oversold, granted, tuple(problems), report)


def _reserved_on_orders(onhand: Onhand, channel: str) -> Counter[str]:
    """Units reserved per SKU on the race's orders, read back page by page."""
    shown: Counter[str] = Counter()
    offset = 0
    while page := services.sales_orders.list_orders(onhand, channel=channel, limit=PAGE, offset=offset):
        for order in page:
            for line in order.lines:
                shown[line.sku] += int(line.reserved)
        offset += PAGE
    return shown


def _reserved_in_stock(onhand: Onhand, race: Race) -> Counter[str]:
    reserved: Counter[str] = Counter()
    for level in services.stock.stock_levels(onhand, group_by="item").levels:
        if level.sku in race.supply:
            reserved[level.sku] += int(level.reserved)
    return reserved
