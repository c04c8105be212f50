"""Opening valuation of stock that predates valuation: listing it, valuing it, the report after.

    python -m benchmarks.opening_valuation                      # a fresh SQLite file (WAL)
    python -m benchmarks.opening_valuation --scale 0.1
    python -m benchmarks.opening_valuation --postgres postgresql://postgres@127.0.0.1:5432/test

Setup (untimed): `ITEMS` items imported from CSV, each put on hand at one of three
warehouses by one opening stock import, then the cost layers, pools and move values are
removed — a database whose stock was posted before valuation existed (revision 0007).
Timed: V1 `unvalued_stock` (every item listed), V2 `value_opening_stock` with one line
per item (one transaction), V3 the valuation report afterwards (its `unvalued` list is
empty). The run checks its own work: the report's total equals Σ quantity × unit cost,
nothing is left unvalued, and `verify` passes. Exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from sqlalchemy import delete

from benchmarks import cli
from benchmarks.cli import say
from benchmarks.timing import PhaseResult, Stopwatch
from onhand import services
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, move_values
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateLocation
from onhand.domain.valuation.commands import ValueOpeningStock
from onhand.services.valuation.opening import OpeningCost

ITEMS = 10_000
PLACES = ("NY", "LA", "DC")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.opening_valuation", description=__doc__.split("\n")[0])
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    return args


def run_opening_valuation(url: str, description: str, *, scale: float, seed: int) -> bool:
    say(f"database: {description}")
    rng = random.Random(seed)
    count = max(1, round(ITEMS * scale))
    onhand = open_onhand(url)
    try:
        if services.items.list_items(onhand, limit=1):
            say("error: the database already holds items; the benchmark needs an empty one")
            return False
        for code in PLACES:
            services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
        skus = [f"SKU-{n:06d}" for n in range(count)]
        items = "sku,name\n" + "".join(f"{sku},Item {sku}\n" for sku in skus)
        assert services.imports.import_items(onhand, items).ok
        stock = {sku: (rng.choice(PLACES), rng.randint(1, 500)) for sku in skus}
        rows = "".join(f"{place},{sku},{qty}\n" for sku, (place, qty) in stock.items())
        assert services.imports.import_opening_stock(onhand, "location,sku,quantity\n" + rows).ok
        with onhand.engine.begin() as conn:
            for table in (cost_layers, cost_pools, move_values):
                conn.execute(delete(table))
        costs = {sku: Decimal(rng.randint(1, 99_999)) / 100 for sku in skus}
        lines = [OpeningCost(sku, costs[sku], location=stock[sku][0]) for sku in skus]

        timers = [Stopwatch() for _ in range(3)]
        with timers[0].running():
            unvalued = services.opening_valuation.unvalued_stock(onhand)
        with timers[1].running():
            opened = services.opening_valuation.value_opening_stock(onhand, ValueOpeningStock(
                lines=lines, reference="bench"))
        with timers[2].running():
            report = services.valuation_reports.valuation_report(onhand)
        for code, title, timer in zip(("V1", "V2", "V3"), ("unvalued stock listed", "pools valued (one request)",
                                                           "valuation report, per item"), timers, strict=True):
            say(PhaseResult(code, title, count, timer.seconds).line())

        expected = sum((costs[sku] * qty for sku, (_place, qty) in stock.items()), Decimal(0))
        problems = []
        if len(unvalued) != count:
            problems.append(f"{len(unvalued)} unvalued places listed, expected {count}")
        if len(opened.lines) != count or opened.total_value != expected:
            problems.append(f"valued {len(opened.lines)} pools worth {opened.total_value}, expected {expected}")
        if report.total_value != expected or report.unvalued:
            problems.append(f"report total {report.total_value} with {len(report.unvalued)} unvalued, "
                            f"expected {expected} and none")
        if not services.integrity.verify(onhand).ok:
            problems.append("verify failed")
        for text in problems:
            say(f"check failed: {text}")
        if not problems:
            say(f"check: ok (report total {expected} = Σ quantity × unit cost; nothing unvalued; verify ok)")
        return not problems
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    run_one = partial(run_opening_valuation, scale=args.scale, seed=args.seed)
    return cli.run_on_each_database(args, "Onhand opening valuation benchmark", run_one)


if __name__ == "__main__":
    sys.exit(main())
