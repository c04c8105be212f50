"""Transfer orders through the service layer: created, shipped and received.

    python -m benchmarks.transfers                   # a fresh SQLite file (WAL)
    python -m benchmarks.transfers --scale 0.1
    python -m benchmarks.transfers --postgres postgresql://postgres@127.0.0.1:5432/test   # also there

T3 (3-line transfers, a third of the items lot-tracked so shipping chooses lots FEFO):
each transfer is three service calls — create_transfer, ship_transfer (source →
transit), receive_transfer (transit → destination) — timed per call. Then the driver
checks its own work: every SKU holds at each site exactly what it received and sent,
nothing is left in transit, every transfer is `received`, and `verify` is ok. Exits
non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from benchmarks import cli
from benchmarks.cli import say
from benchmarks.reconcile import verify_line
from benchmarks.timing import CallClocks, PhaseResult
from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.transfers.commands import CreateTransfer, ReceiveTransfer, ShipTransfer
from onhand.services.ledger.postings import StockLine
from onhand.services.transfers.transfer_orders import NewTransferLine

TRANSFERS = 2000  # at scale 1
ITEMS = 60
LINES = 3
SITES = ("NY", "LA", "RENO")
LOTS = ("A", "B")  # of each lot-tracked item, A expiring first


@dataclass(frozen=True)
class Planned:
    source: str
    destination: str
    lines: tuple[tuple[str, int], ...]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.transfers", description="Transfer orders created, shipped and received (T3)."
    )
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    return args


def plan(rng: random.Random, count: int, skus: Sequence[str]) -> list[Planned]:
    found = []
    for _ in range(count):
        source, destination = rng.sample(SITES, 2)
        found.append(Planned(source, destination, tuple((sku, rng.randint(1, 5)) for sku in rng.sample(skus, LINES))))
    return found


def setup(onhand: Onhand, plans: Sequence[Planned], skus: Sequence[str], tracked: set[str]) -> dict[tuple, int]:
    """Sites, a transit location, items, and at each site what its transfers will send."""
    for code in SITES:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="OCEAN-1", name="Container", kind="transit"))
    for sku in skus:
        services.items.create_item(onhand, CreateItem(sku=sku, name=sku, tracking="lot" if sku in tracked else "none"))
    need: dict[tuple, int] = defaultdict(int)
    for planned in plans:
        for sku, quantity in planned.lines:
            need[(planned.source, sku)] += quantity
    for site in SITES:
        lines = []
        for sku in skus:
            units = need[(site, sku)]
            if not units:
                continue
            if sku in tracked:  # two lots, so FEFO has a choice to make
                first = units // 2
                lines += [StockLine(sku, first, "A", expiry_date="2030-01-31")] if first else []
                lines += [StockLine(sku, units - first, "B", expiry_date="2031-01-31")]
            else:
                lines.append(StockLine(sku, units))
        if lines:
            services.adjustments.post_adjustment(onhand, PostAdjustment(location=site, lines=lines, reason="opening"))
    return need


def run(url: str, description: str, *, scale: float, seed: int) -> bool:
    say(f"database: {description}")
    onhand = open_onhand(url)
    try:
        if services.items.list_items(onhand, limit=1):
            say("error: the database already holds items; the benchmark needs an empty one")
            return False
        return _run(onhand, random.Random(seed), max(1, round(TRANSFERS * scale)))
    finally:
        onhand.close()


def _run(onhand: Onhand, rng: random.Random, count: int) -> bool:
    skus = [f"TRF-{n:04d}" for n in range(ITEMS)]
    tracked = set(skus[::3])
    plans = plan(rng, count, skus)
    need = setup(onhand, plans, skus, tracked)
    say(f"setup (untimed): {len(SITES)} sites, {len(skus)} items ({len(tracked)} lot-tracked), "
        f"{sum(need.values())} units to send")
    clocks = CallClocks("create_transfer", "ship_transfer", "receive_transfer")
    problems = []
    for planned in plans:
        with clocks.running("create_transfer"):
            made = services.transfer_orders.create_transfer(
                onhand, CreateTransfer(source=planned.source, destination=planned.destination,
                lines=[NewTransferLine(sku, quantity) for sku, quantity in planned.lines]),
            )
        with clocks.running("ship_transfer"):
            services.transit.ship_transfer(onhand, ShipTransfer(made.reference))
        with clocks.running("receive_transfer"):
            done = services.transit.receive_transfer(onhand, ReceiveTransfer(made.reference))
        if done.status != "received":
            problems.append(f"{done.reference} is {done.status}")
    result = PhaseResult("T3", "3-line transfers created+shipped+received", count, clocks.seconds)
    say(result.line())
    say(f"T3 per transfer: {clocks.per_action(count)}; {count * LINES / result.seconds:.0f} lines/s")
    for text in problems[:5]:
        say(f"T3 check: {text}")
    ok = _check_stock(onhand, plans) and not problems
    report = services.integrity.verify(onhand)
    say(verify_line(report))
    return ok and report.ok


def _check_stock(onhand: Onhand, plans: Sequence[Planned]) -> bool:
    """Each site ends with what it received (it sent all it had); nothing is in transit."""
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for planned in plans:
        for sku, quantity in planned.lines:
            expected[(planned.destination, sku)] += quantity
    levels = services.stock.stock_levels(onhand, group_by="location").levels
    reported = {(lv.location, lv.sku): int(lv.on_hand) for lv in levels if lv.on_hand}
    moving = sum(lv.in_transit for lv in levels)
    wanted = {(site, sku): units for (site, sku), units in expected.items()}
    differences = [f"{key}: {reported.get(key, 0)}; driver expects {wanted.get(key, 0)}"
                   for key in sorted(set(reported) | set(wanted)) if reported.get(key, 0) != wanted.get(key, 0)]
    if moving:
        differences.append(f"{moving} still in transit")
    if differences:
        say(f"stock check: {len(differences)} differences, e.g.")
        for text in differences[:5]:
            say(f"  {text}")
    else:
        say("stock check: ok (every site holds what it received and nothing it sent; nothing in transit)")
    return not differences


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    run_one = partial(run, scale=args.scale, seed=args.seed)
    return cli.run_on_each_database(args, "Onhand transfer benchmark", run_one)


if __name__ == "__main__":
    sys.exit(main())
