"""The stock phases of the standard workload (W0-W2, W4), each through `onhand.services`.

Every action is one service call, hence one transaction, as a user's request would be.
What each phase will do is drawn from the seeded random generator before its clock
starts where it can be (W0, W1, W4); W2 depends on the balances as they are, so it
draws as it goes, from the driver's in-memory `BalanceBook` (a microsecond per draw).
W3, the FEFO picks through sales orders, is in `picks.py`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from benchmarks.balances import BalanceBook
from benchmarks.timing import PhaseResult, Stopwatch
from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import MoveStock, PostAdjustment
from onhand.services.ledger.postings import StockLine

# A receipt before purchasing exists is stock found at a location (benchmarks.md, W1).
RECEIPT_REASON = "found"
SHELF_LIFE_DAYS = (90, 730)
RECEIPT_QUANTITY = (10, 100)


@dataclass(frozen=True)
class Catalog:
    """What W0 created: SKUs (with shelf life when lot-tracked) and location codes."""

    shelf_life: dict[str, int | None]  # sku -> shelf life in days, None when not tracked
    locations: tuple[str, ...]

    @property
    def skus(self) -> tuple[str, ...]:
        return tuple(self.shelf_life)


def create_catalog(
    onhand: Onhand, rng: random.Random, *, items: int, locations: int
) -> tuple[PhaseResult, Catalog]:
    """W0: create the internal locations, then the items (every other one lot-tracked)."""
    codes = tuple(f"WH-{n:02d}" for n in range(1, locations + 1))
    shelf_life: dict[str, int | None] = {
        f"SKU-{n:05d}": rng.randint(*SHELF_LIFE_DAYS) if n % 2 else None for n in range(1, items + 1)
    }
    clock = Stopwatch()
    with clock.running():
        for code in codes:
            services.locations.create_location(onhand, CreateLocation(
                code=code, name=f"Warehouse {code}", kind="warehouse"))
        for sku, days in shelf_life.items():
            services.items.create_item(
                onhand,
                CreateItem(sku=sku,
                name=f"Benchmark item {sku}",
                unit="each",
                tracking="lot" if days else "none",
                shelf_life_days=days),
            )
    result = PhaseResult("W0", "items and locations", items + locations, clock.seconds)
    return result, Catalog(shelf_life, codes)


@dataclass(frozen=True)
class Receipt:
    location: str
    line: StockLine


def lot_expiry(plan: list[Receipt]) -> dict[str, date]:
    """Lot code -> expiry date of every lot the receipts create."""
    return {r.line.lot: r.line.expiry_date for r in plan if r.line.lot and isinstance(r.line.expiry_date, date)}


def plan_receipts(catalog: Catalog, rng: random.Random, count: int, today: date) -> list[Receipt]:
    skus = catalog.skus
    plan = []
    for n in range(1, count + 1):
        sku = rng.choice(skus)
        location = rng.choice(catalog.locations)
        quantity = rng.randint(*RECEIPT_QUANTITY)
        days = catalog.shelf_life[sku]
        if days:
            # A new lot per receipt, expiring somewhere within the item's shelf life.
            expiry = today + timedelta(days=rng.randint(days // 2, days))
            line = StockLine(sku=sku, quantity=quantity, lot=f"L{n:07d}", expiry_date=expiry)
        else:
            line = StockLine(sku=sku, quantity=quantity)
        plan.append(Receipt(location, line))
    return plan


def receive(onhand: Onhand, plan: list[Receipt], book: BalanceBook) -> PhaseResult:
    """W1: one positive adjustment per receipt."""
    clock = Stopwatch()
    with clock.running():
        for n, receipt in enumerate(plan, start=1):
            services.adjustments.post_adjustment(
                onhand,
                PostAdjustment(location=receipt.location,
                lines=[receipt.line],
                reason=RECEIPT_REASON,
                reference=f"RCV-{n:07d}"),
            )
    for receipt in plan:
        line = receipt.line
        book.add((line.sku, receipt.location, line.lot), int(line.quantity))
    return PhaseResult("W1", "lot receipts", len(plan), clock.seconds)


def transfer(
    onhand: Onhand, catalog: Catalog, rng: random.Random, book: BalanceBook, count: int
) -> PhaseResult:
    """W2: half (rounded down, at least 1) of a random non-empty balance to another location."""
    clock = Stopwatch()
    with clock.running():
        for n in range(1, count + 1):
            key = book.random_key(rng)
            sku, source, lot = key
            quantity = max(1, book.on_hand(key) // 2)
            destination = rng.choice([code for code in catalog.locations if code != source])
            services.relocations.move_stock(
                onhand,
                MoveStock(source=source,
                destination=destination,
                lines=[StockLine(sku=sku, quantity=quantity, lot=lot)],
                reference=f"MOV-{n:07d}"),
            )
            book.move(key, destination, quantity)
    return PhaseResult("W2", "partial transfers", count, clock.seconds)


def query_availability(
    onhand: Onhand, catalog: Catalog, rng: random.Random, count: int
) -> tuple[PhaseResult, list[tuple[str, str, int]]]:
    """W4: on hand / reserved / available of a random item at a random location.

    Returns what each query answered as (sku, location, on hand), to be checked later.
    """
    plan = [(rng.choice(catalog.skus), rng.choice(catalog.locations)) for _ in range(count)]
    answers = []
    clock = Stopwatch()
    with clock.running():
        for sku, location in plan:
            report = services.stock.stock_levels(onhand, sku=sku, location=location, group_by="item")
            answers.append((sku, location, report))
    on_hand = [
        (sku, location, int(sum(level.on_hand for level in report.levels)))
        for sku, location, report in answers
    ]
    return PhaseResult("W4", "availability queries", count, clock.seconds), on_hand
