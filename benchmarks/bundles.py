"""Bundles and builds through the service layer: kit availability, a big listing, builds.

    python -m benchmarks.bundles                     # a fresh SQLite file (WAL)
    python -m benchmarks.bundles --scale 0.1
    python -m benchmarks.bundles --postgres postgresql://postgres@127.0.0.1:5432/test

K1: `bundles.bundle_availability` of a 10-component bundle stocked at 50 locations
(target: under 5 ms per call on SQLite). K2: `stock.stock_levels` listing 10,000 SKUs
× 10 locations (target: under 1 s on SQLite). K3: `builds.build`, one unit per call
(one posting each: 3 components in, a new output lot out). Each phase checks its own
answers; exits non-zero when a check fails (a target not met is reported, not an error).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from benchmarks import cli
from benchmarks.cli import say
from benchmarks.reconcile import verify_line
from benchmarks.timing import PhaseResult
from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.assemblies.commands import (
    BuildRun,
    ComponentLine,
    CreateBuildOrder,
    SetBillOfMaterials,
    SetBundleComponents,
)
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine

KIT_TARGET_MS = 5.0
LISTING_TARGET_S = 1.0
COMPONENTS = 10
KIT_LOCATIONS = 50
LISTING_LOCATIONS = 10
CHUNK = 1000  # lines per opening adjustment


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bundles", description=__doc__.splitlines()[0])
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    return args


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def kit_phase(onhand: Onhand, rng: random.Random, scale: float, backend: str) -> bool:
    places = [f"K-{n:02d}" for n in range(1, KIT_LOCATIONS + 1)]
    for code in places:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    skus = [f"KC-{n:02d}" for n in range(1, COMPONENTS + 1)]
    for sku in skus:
        services.items.create_item(onhand, CreateItem(sku=sku, name=sku))
    services.items.create_item(onhand, CreateItem(sku="KIT-10", name="Ten-part kit", kind="bundle"))
    per = {sku: rng.randint(1, 4) for sku in skus}
    services.bundles.set_components(onhand, SetBundleComponents(
        "KIT-10", components=[ComponentLine(s, per[s]) for s in skus]
    ))
    stock = {(code, sku): rng.randint(0, 60) for code in places for sku in skus}
    for code in places:
        lines = [StockLine(sku, stock[(code, sku)]) for sku in skus if stock[(code, sku)]]
        if lines:
            services.adjustments.post_adjustment(onhand, PostAdjustment(location=code, lines=lines, reason="found"))
    calls = max(5, round(200 * scale))
    timings, figure = [], None
    for _ in range(calls):
        start = time.perf_counter()
        figure = services.bundles.bundle_availability(onhand, "KIT-10")
        timings.append(time.perf_counter() - start)
    result = PhaseResult("K1", f"bundle availability ({COMPONENTS} components, {KIT_LOCATIONS} locations)",
                         calls, sum(timings))
    say(result.line())
    per_call = statistics.median(timings) * 1000
    say(f"K1 per call: median {per_call:.2f} ms, max {max(timings) * 1000:.2f} ms")
    assert figure is not None
    expected_sites = {code: min(stock[(code, s)] // per[s] for s in skus) for code in places}
    # The total is the sum of what each site can kit (docs/bundles-and-assemblies.md), never
    # components pooled over sites that cannot ship a whole kit.
    expected_total = sum(expected_sites.values())
    got_sites = {p.location: int(p.quantity) for p in figure.locations}
    ok = figure.available == expected_total and all(
        got_sites.get(code, 0) == value for code, value in expected_sites.items()
    )
    say(f"K1 check: {'ok' if ok else 'FAILED'} (total {figure.available}, driver expects {expected_total}; "
        f"{len(got_sites)} sites compared)")
    if backend == "sqlite":
        say(f"target K1 (bundle availability under {KIT_TARGET_MS:g} ms on SQLite): "
            f"{verdict(per_call < KIT_TARGET_MS)} ({per_call:.2f} ms)")
    return ok


def listing_phase(onhand: Onhand, rng: random.Random, scale: float, backend: str) -> bool:
    count = max(10, round(10_000 * scale))
    places = [f"L-{n:02d}" for n in range(1, LISTING_LOCATIONS + 1)]
    for code in places:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    skus = [f"LS-{n:05d}" for n in range(1, count + 1)]
    # Untimed setup: the items in one CSV import, as a new customer's catalogue comes in.
    rows = "\n".join(f"{sku},{sku},each,none,," for sku in skus)
    services.imports.import_items(onhand, f"sku,name,unit,tracking,gtin,shelf_life_days\n{rows}\n")
    expected: dict[str, int] = {sku: 0 for sku in skus}
    for code in places:
        for start in range(0, count, CHUNK):
            lines = []
            for sku in skus[start:start + CHUNK]:
                qty = rng.randint(1, 50)
                expected[sku] += qty
                lines.append(StockLine(sku, qty))
            services.adjustments.post_adjustment(onhand, PostAdjustment(location=code, lines=lines, reason="found"))
    say(f"setup (untimed): {count} SKUs × {len(places)} locations = {count * len(places)} balances")
    timings, report = [], None
    for _ in range(3):
        start = time.perf_counter()
        report = services.stock.stock_levels(onhand, location=None, group_by="item")
        timings.append(time.perf_counter() - start)
    best = min(timings)
    say(f"K2 stock listing ({count} SKUs × {len(places)} locations): best of 3 {best:.3f} s, "
        f"median {statistics.median(timings):.3f} s")
    assert report is not None
    got = {lv.sku: (lv.on_hand, lv.available) for lv in report.levels if lv.sku.startswith("LS-")}
    ok = got == {sku: (Decimal(v), Decimal(v)) for sku, v in expected.items()}
    say(f"K2 check: {'ok' if ok else 'FAILED'} ({len(got)} rows equal what the driver posted)")
    if backend == "sqlite":
        say(f"target K2 (10,000 SKUs × 10 locations listed under {LISTING_TARGET_S:g} s on SQLite): "
            f"{verdict(best < LISTING_TARGET_S) if count >= 10_000 else 'not judged (scale < 1)'} ({best:.3f} s)")
    return ok


def build_phase(onhand: Onhand, scale: float) -> bool:
    runs = max(5, round(500 * scale))
    services.locations.create_location(onhand, CreateLocation(code="SHOP", name="Workshop", kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="BC-PLAIN", name="Screw"))
    services.items.create_item(onhand, CreateItem(sku="BC-LOT", name="Resin", tracking="lot"))
    services.items.create_item(onhand, CreateItem(sku="BC-KG", name="Wood", unit="kg"))
    services.items.create_item(onhand, CreateItem(sku="BUILT", name="Chair", tracking="lot", kind="assembly"))
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials("BUILT", components=[
        ComponentLine("BC-PLAIN", 8, scrap_percent=5), ComponentLine("BC-LOT", 1), ComponentLine("BC-KG", "2.5"),
    ], labour_cost="3.50"))
    services.adjustments.post_adjustment(onhand, PostAdjustment(location="SHOP", reason="found", lines=[
        StockLine("BC-PLAIN", 10 * runs), StockLine("BC-LOT", runs, "R1", expiry_date="2030-01-01"),
        StockLine("BC-LOT", runs, "R2", expiry_date="2029-01-01"), StockLine("BC-KG", 3 * runs),
    ]))
    order = services.builds.create_build_order(onhand, CreateBuildOrder(sku="BUILT", location="SHOP", quantity=runs))
    start = time.perf_counter()
    for n in range(runs):
        services.builds.build(onhand, BuildRun(order.reference, quantity=1, output_lot=f"C{n:05d}"))
    result = PhaseResult("K3", "builds (3 components, 1 unit, new output lot)", runs, time.perf_counter() - start)
    say(result.line())
    final = services.builds.get_build_order(onhand, order.reference)
    levels = {lv.sku: lv.on_hand for lv in services.stock.stock_levels(onhand, location="SHOP").levels}
    expected = {"BUILT": runs, "BC-PLAIN": 10 * runs - 9 * runs, "BC-LOT": runs, "BC-KG": Decimal("0.5") * runs}
    trace = services.genealogy.lot_genealogy(onhand, "BC-LOT", "R2")
    ok = (final.status == "done" and all(levels.get(k) == v for k, v in expected.items())
          and sum(ln.quantity for ln in trace.used_in) == runs)
    say(f"K3 check: {'ok' if ok else 'FAILED'} (order done, stock as the driver expects, FEFO took lot R2 "
        f"for all {runs}: {sum(ln.quantity for ln in trace.used_in)})")
    return ok


def run(url: str, description: str, *, scale: float, seed: int) -> bool:
    say(f"database: {description}")
    onhand = open_onhand(url)
    try:
        if services.items.list_items(onhand, limit=1):
            say("error: the database already holds items; the benchmark needs an empty one")
            return False
        backend = onhand.engine.dialect.name
        rng = random.Random(seed)
        ok = kit_phase(onhand, rng, scale, backend)
        ok = listing_phase(onhand, rng, scale, backend) and ok
        ok = build_phase(onhand, scale) and ok
        report = services.integrity.verify(onhand)
        say(verify_line(report))
        return ok and report.ok
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    run_one = partial(run, scale=args.scale, seed=args.seed)
    return cli.run_on_each_database(args, "Onhand bundles and builds benchmark", run_one)


if __name__ == "__main__":
    sys.exit(main())
