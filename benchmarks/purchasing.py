"""Purchase receipts through the service layer: lot-tracked lines posted per second.

    python -m benchmarks.purchasing                      # a fresh SQLite file (WAL)
    python -m benchmarks.purchasing --scale 0.1
    python -m benchmarks.purchasing --postgres postgresql://postgres@127.0.0.1:5432/test

P1 (untimed setup aside): purchase orders of `LINES_PER_ORDER` lot-tracked lines are
created and placed. P2: each order is received in `RECEIPTS_PER_ORDER` receipts, each
one `receive_purchase_order` call posting every line with its own lot, expiry and bin.
Afterwards the run checks its own work: every SKU holds exactly what was received, in
the lots received, nothing is still incoming, every order is `received`, and `verify`
passes. Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from benchmarks import cli
from benchmarks.cli import say
from benchmarks.reconcile import verify_line
from benchmarks.timing import PhaseResult, Stopwatch
from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine

ITEMS = 400
ORDERS = 500
LINES_PER_ORDER = 5
RECEIPTS_PER_ORDER = 2
BINS = ("RCV-A", "RCV-B", "RCV-C")


@dataclass(frozen=True)
class PlannedOrder:
    lines: tuple[tuple[str, int], ...]  # (sku, quantity)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.purchasing",
                                     description="Purchase orders received line by line (lot-tracked).")
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    return args


def plan(rng: random.Random, scale: float) -> tuple[list[str], list[PlannedOrder]]:
    skus = [f"PUR-{n:05d}" for n in range(1, max(LINES_PER_ORDER, round(ITEMS * scale)) + 1)]
    orders = [
        PlannedOrder(tuple((sku, rng.randint(1, 50) * RECEIPTS_PER_ORDER)
                           for sku in rng.sample(skus, LINES_PER_ORDER)))
        for _ in range(max(2, round(ORDERS * scale)))
    ]
    return skus, orders


def run_purchasing(url: str, description: str, *, scale: float, seed: int) -> bool:
    say(f"database: {description}")
    onhand = open_onhand(url)
    try:
        if services.items.list_items(onhand, limit=1):
            say("error: the database already holds items; the benchmark needs an empty one")
            return False
        return _run(onhand, random.Random(seed), scale)
    finally:
        onhand.close()


def _run(onhand: Onhand, rng: random.Random, scale: float) -> bool:
    skus, orders = plan(rng, scale)
    services.locations.create_location(onhand, CreateLocation(code="RCV", name="Receiving warehouse", kind="warehouse"))
    for code in BINS:
        services.locations.create_location(onhand, CreateLocation(
            code=code, name=f"Bin {code}", kind="bin", parent="RCV"))
    for sku in skus:
        services.items.create_item(onhand, CreateItem(sku=sku, name=f"Benchmark item {sku}", tracking="lot"))
    services.suppliers.create_supplier(onhand, CreateSupplier(code="BENCH", name="Benchmark supplier",
        lead_time_days=10))
    say(f"setup (untimed): 1 warehouse with {len(BINS)} bins, {len(skus)} lot-tracked items, 1 supplier")

    watch = Stopwatch()
    references = []
    for planned in orders:
        with watch.running():
            order = services.purchase_orders.create_purchase_order(
                onhand, CreatePurchaseOrder(supplier="BENCH", destination="RCV",
                lines=[NewPurchaseLine(sku, quantity, f"{rng.randint(100, 9999) / 100:.2f}")
                       for sku, quantity in planned.lines]),
            )
            references.append(services.purchase_orders.place_purchase_order(onhand,
                PurchaseOrderAction(order.reference)).reference)
    say(PhaseResult("P1", "purchase orders created+placed", len(orders), watch.seconds).line())

    expected: dict[tuple[str, str], int] = defaultdict(int)
    today = onhand.now().date()
    watch, lines_posted = Stopwatch(), 0
    for part in range(RECEIPTS_PER_ORDER):
        for number, (reference, planned) in enumerate(zip(references, orders, strict=True)):
            lines = []
            for line_no, (sku, quantity) in enumerate(planned.lines, start=1):
                lot = f"L{number}-{line_no}-{part}"
                expiry = today + timedelta(days=rng.randint(90, 720))
                lines.append(ReceiptLine(line_no, quantity // RECEIPTS_PER_ORDER, lot=lot, expiry_date=expiry,
                                         location=rng.choice(BINS)))
                expected[(sku, lot)] += quantity // RECEIPTS_PER_ORDER
            with watch.running():
                services.receiving.receive_purchase_order(onhand, ReceivePurchaseOrder(reference, lines=lines))
            lines_posted += len(lines)
    result = PhaseResult("P2", "receipt lines posted (lot-tracked)", lines_posted, watch.seconds)
    say(result.line())
    receipts = len(orders) * RECEIPTS_PER_ORDER
    say(f"P2 per receipt ({LINES_PER_ORDER} lines, one receive_purchase_order call): "
        f"{watch.seconds / receipts * 1000:.2f} ms; {receipts} receipts")
    ok = _check(onhand, expected, references)
    report = services.integrity.verify(onhand)
    say(verify_line(report))
    return ok and report.ok


def _check(onhand: Onhand, expected: dict[tuple[str, str], int], references: list[str]) -> bool:
    levels = services.stock.stock_levels(onhand, group_by="lot").levels
    held = {(lv.sku, lv.lot): int(lv.on_hand) for lv in levels if lv.lot}
    incoming = sum(lv.incoming for lv in levels)
    problems = [f"{sku} lot {lot}: holds {held.get((sku, lot), 0)}, received {qty}"
                for (sku, lot), qty in sorted(expected.items()) if held.get((sku, lot), 0) != qty]
    problems += [f"{key[0]} lot {key[1]}: holds {qty}, never received"
                 for key, qty in held.items() if key not in expected]
    if incoming:
        problems.append(f"still incoming after every order was received: {incoming}")
    statuses = {services.purchase_orders.get_purchase_order(onhand, ref).status for ref in references}
    if statuses != {"received"}:
        problems.append(f"purchase order statuses {sorted(statuses)}, expected only received")
    if problems:
        say(f"stock check: {len(problems)} problems, e.g.")
        for text in problems[:5]:
            say(f"  {text}")
    else:
        say(f"stock check: ok (every SKU and lot holds exactly what was received, {sum(expected.values())} units; "
            f"nothing incoming; every order received)")
    return not problems


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    run_one = partial(run_purchasing, scale=args.scale, seed=args.seed)
    return cli.run_on_each_database(args, "Onhand purchasing benchmark", run_one)


if __name__ == "__main__":
    sys.exit(main())
