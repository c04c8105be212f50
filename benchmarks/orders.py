"""Sales orders through the service layer: allocate and ship, and 16 clients racing.

    python -m benchmarks.orders                      # a fresh SQLite file (WAL): O1, O5
    python -m benchmarks.orders --scale 0.1
    python -m benchmarks.orders --postgres postgresql://postgres@127.0.0.1:5432/test   # also O1, O5, R16 there

O1 and O5 (`order_flow`): single-line and 5-line orders created, then each allocated and
shipped (`allocate_order` + `ship_order`, two transactions per order); then the same
numbers of new orders fulfilled in waves of 200 (`waves.fulfil_orders`, one transaction
per wave). R16 (`races`, PostgreSQL only): 16 concurrent clients reserving from a shared,
partly scarce stock, then proven free of oversell (`race_checks`). Each figure is
compared with the issue's target where one is set. Exits non-zero when a check fails
(an order not shipped in full, oversell, a stock difference, `verify`); a target not
met is reported, not an error.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from collections.abc import Mapping, Sequence

from benchmarks import cli, order_flow, races, targets
from benchmarks.cli import say
from benchmarks.machine import load_line, machine_line, peak_rss_mib, python_line
from benchmarks.order_catalog import create_items, create_sites, stock_up
from benchmarks.order_counts import OrderCounts, order_counts_for
from benchmarks.race_checks import check_race
from benchmarks.reconcile import verify_line
from benchmarks.timing import PhaseResult, percentile
from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.services.views import VerifyReport

SUPPLY = 1.5  # stock received for O1 and O5, times the units ordered: every order ships in full
WAVE = 200  # orders per wave (`waves.fulfil_orders`)
RACE_BATCH = 20  # orders per `waves.allocate_orders` call in R16's batched race


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.orders",
        description="Sales orders allocated and shipped (O1, O5), and concurrent reservations (R16, PostgreSQL).",
    )
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    return args


def run_orders(url: str, description: str, *, scale: float, seed: int) -> tuple[bool, set[str]]:
    """O1, O5 (and R16 on PostgreSQL) on the empty database at `url`.

    Returns whether every check passed, and the codes of the targets judged.
    """
    counts = order_counts_for(scale)
    rng = random.Random(seed)
    say(f"database: {description}")
    onhand = open_onhand(url)
    try:
        if services.items.list_items(onhand, limit=1):
            say("error: the database already holds items; the benchmark needs an empty one")
            return False, set()
        return _run(onhand, rng, counts)
    finally:
        onhand.close()


def _run(onhand: Onhand, rng: random.Random, counts: OrderCounts) -> tuple[bool, set[str]]:
    backend = onhand.engine.dialect.name
    sites = create_sites(onhand)
    tracked = create_items(onhand, "ORD", counts.items)
    skus = tuple(tracked)
    single = order_flow.plan_orders(rng, skus, counts.single_line, lines=1, prefix="O1")
    multi = order_flow.plan_orders(rng, skus, counts.multi_line, lines=counts.lines_per_multi_line, prefix="O5")
    # The same numbers of orders again, fulfilled in waves.
    single_waves = order_flow.plan_orders(rng, skus, counts.single_line, lines=1, prefix="O1W")
    multi_waves = order_flow.plan_orders(rng, skus, counts.multi_line, lines=counts.lines_per_multi_line,
                                         prefix="O5W")
    asked = order_flow.demand([*single, *multi, *single_waves, *multi_waves])
    supply = {sku: math.ceil(units * SUPPLY) for sku, units in asked.items()}
    stock_up(onhand, rng, supply=supply, tracked=tracked, sites=sites, tag="ORD")
    say(f"setup (untimed): {len(sites)} sites, {len(skus)} items, {sum(supply.values())} units received")

    judged: set[str] = set()
    o1, ok1 = _orders_phase(onhand, single, "O1", "single-line orders")
    if backend == targets.SINGLE_LINE_ON_SQLITE.backend:
        say(targets.SINGLE_LINE_ON_SQLITE.verdict(o1))
        judged.add("O1")
    _o5, ok5 = _orders_phase(onhand, multi, "O5", f"{counts.lines_per_multi_line}-line orders")
    o1w, ok1w = _wave_phase(onhand, single_waves, "O1", "single-line orders")
    if backend == targets.SINGLE_LINE_ON_SQLITE.backend:
        say(targets.SINGLE_LINE_ON_SQLITE.verdict(o1w) + " — in waves")
    _o5w, ok5w = _wave_phase(onhand, multi_waves, "O5", f"{counts.lines_per_multi_line}-line orders")
    ok = ok1 and ok5 and ok1w and ok5w
    report = None
    if backend == targets.RESERVATIONS_ON_POSTGRES.backend:
        race_ok, report = _race(onhand, rng, counts, sites)
        batch_ok, report = _race(onhand, rng, counts, sites, batch=RACE_BATCH)
        ok = ok and race_ok and batch_ok
        judged.add("R16")
    else:
        say("R16 concurrent reservations: skipped (PostgreSQL only: give --postgres URL)")
    ok = _check_stock(onhand, supply, asked) and ok
    report = report or services.integrity.verify(onhand)
    say(verify_line(report))
    return ok and report.ok, judged


def _orders_phase(
    onhand: Onhand, plans: Sequence[order_flow.PlannedOrder], code: str, title: str
) -> tuple[PhaseResult, bool]:
    say(order_flow.create_orders(onhand, plans, code, title).line())
    result, clocks, problems = order_flow.fulfil_orders(onhand, plans, code, title)
    say(result.line())
    lines = sum(len(plan.lines) for plan in plans)
    say(f"{code} per order: {clocks.per_action(result.count)}; {lines} lines = {lines / result.seconds:.0f} lines/s")
    if problems:
        say(f"{code} check: {len(problems)} orders not allocated and shipped in full, e.g.")
        for text in problems[:5]:
            say(f"  {text}")
    return result, not problems


def _wave_phase(
    onhand: Onhand, plans: Sequence[order_flow.PlannedOrder], code: str, title: str
) -> tuple[PhaseResult, bool]:
    say(order_flow.create_orders(onhand, plans, code, title).line())
    result, cpu, problems = order_flow.fulfil_in_waves(onhand, plans, code, title, wave_size=WAVE)
    say(result.line())
    lines = sum(len(plan.lines) for plan in plans)
    say(f"{code} in waves: {lines / result.seconds:.0f} lines/s; this process's CPU {cpu:.2f} s "
        f"= {result.count / cpu:.0f} orders per CPU-second (the rest of the wall time waited for the database "
        "or the machine's other work)")
    if problems:
        say(f"{code} check: {len(problems)} orders not shipped in full by their wave, e.g.")
        for text in problems[:5]:
            say(f"  {text}")
    return result, not problems


def _race(
    onhand: Onhand, rng: random.Random, counts: OrderCounts, sites: Sequence[str], *, batch: int | None = None
) -> tuple[bool, VerifyReport]:
    """R16: each client allocates its orders one call per order, or (`batch`) that many per call."""
    race = races.prepare(onhand, rng, counts, sites, name="R16" if batch is None else "R16B")
    created, errors = races.create_concurrently(onhand, race)
    say(created.line())
    if batch is None:
        allocated, tallies = races.allocate_concurrently(onhand, race)
    else:
        allocated, tallies = races.allocate_in_batches_concurrently(onhand, race, batch)
    errors += [error for tally in tallies for error in tally.errors]
    verdict = check_race(onhand, race, tallies)
    say(f"{allocated.line()}, oversold: {verdict.oversold}")
    latencies = [seconds for tally in tallies for seconds in tally.latencies]
    call = "allocate_order" if batch is None else f"allocate_orders ({batch} orders)"
    outcomes: Counter[str] = Counter()
    for tally in tallies:
        outcomes.update(tally.outcomes)
    say(
        f"R16 {call} latency: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms, max {max(latencies, default=0) * 1000:.1f} ms; "
        f"orders reserved in full {outcomes['full']}, in part {outcomes['partial']}, not at all {outcomes['none']}"
    )
    scarce_supply = sum(race.supply[sku] for sku in race.scarce)
    scarce_granted = sum(verdict.granted[sku] for sku in race.scarce)
    sold_out = sum(1 for sku in race.scarce if verdict.granted[sku] == race.supply[sku])
    say(
        f"R16 scarce SKUs: {len(race.scarce)}, {scarce_supply} units for {sum(race.asked[s] for s in race.scarce)} "
        f"asked; {scarce_granted} reserved, sold out {sold_out} of {len(race.scarce)}"
    )
    problems = [*errors, *verdict.problems]
    if not verdict.report.ok:
        problems.append(verify_line(verdict.report))
    if problems:
        say(f"R16 oversell check: FAILED ({len(problems)} problems), e.g.")
        for text in problems[:5]:
            say(f"  {text}")
    else:
        say(
            f"R16 oversell check: ok (verify; reserved ≤ on hand for every SKU at every location; "
            f"per SKU granted = shown on the orders = reserved in stock levels, {sum(verdict.granted.values())} "
            f"units; nothing granted beyond stock)"
        )
    how = " — one order per call" if batch is None else f" — {batch} orders per call"
    say(targets.RESERVATIONS_ON_POSTGRES.verdict(allocated, oversold=verdict.oversold) + how)
    return not problems, verdict.report


def _check_stock(onhand: Onhand, supply: Mapping[str, int], asked: Mapping[str, int]) -> bool:
    """Every SKU holds what was received less what was ordered, none of it reserved."""
    reported = {
        level.sku: (int(level.on_hand), int(level.reserved))
        for level in services.stock.stock_levels(onhand, group_by="item").levels
    }
    differences = [
        f"{sku}: {reported.get(sku, (0, 0))} (on hand, reserved); driver expects ({supply[sku] - asked[sku]}, 0)"
        for sku in sorted(supply)
        if reported.get(sku, (0, 0)) != (supply[sku] - asked[sku], 0)
    ]
    if differences:
        say(f"stock check: {len(differences)} differences from what the driver received and shipped, e.g.")
        for text in differences[:5]:
            say(f"  {text}")
    else:
        say("stock check: ok (every O1/O5 SKU holds what was received less what was shipped; nothing reserved)")
    return not differences


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    say(f"Onhand sales-order benchmark: scale {args.scale:g}, seed {args.seed}")
    say(machine_line())
    say(python_line())
    ok = True
    judged: set[str] = set()
    for database in cli.database_factories(args):
        say("")
        say(load_line())
        with database() as target:
            passed, codes = run_orders(target.url, target.description, scale=args.scale, seed=args.seed)
            ok = passed and ok
            judged |= codes
        say(f"peak memory (RSS, this process so far): {peak_rss_mib():.1f} MiB")
        say(load_line())
    for target in (targets.SINGLE_LINE_ON_SQLITE, targets.RESERVATIONS_ON_POSTGRES):
        if target.code not in judged:
            say(f"target {target.code} ({target.text}): not measured (needs {target.backend})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
