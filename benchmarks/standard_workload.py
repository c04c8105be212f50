"""Run the standard workload (shared benchmarks.md) and print one line per phase.

    python -m benchmarks.standard_workload                      # SQLite file, WAL
    python -m benchmarks.standard_workload --scale 0.1
    python -m benchmarks.standard_workload --postgres postgresql://postgres@127.0.0.1:5432/test

Exits non-zero when `verify` fails, a pick did not ship the first-expiring lots, or
the stock the services report differs from what the driver posted.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from functools import partial

from benchmarks import cli, phases, picks
from benchmarks.balances import BalanceBook
from benchmarks.cli import say
from benchmarks.counts import counts_for
from benchmarks.reconcile import book_differences, verify_line
from onhand import services
from onhand.bootstrap import Onhand, open_onhand

DEFAULT_SEED = cli.DEFAULT_SEED


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.standard_workload",
        description="Onhand's standard workload (W0-W4), one service call per action.",
    )
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    return args


def run_workload(url: str, description: str, *, scale: float, seed: int) -> bool:
    """Run W0-W4 on the empty database at `url`; True when every check passed."""
    counts = counts_for(scale)
    rng = random.Random(seed)
    say(f"database: {description}")
    onhand = open_onhand(url)
    try:
        if services.items.list_items(onhand, limit=1):
            say("error: the database already holds items; the workload needs an empty one")
            return False
        book = BalanceBook()
        w0, catalog = phases.create_catalog(onhand, rng, items=counts.items, locations=counts.locations)
        say(w0.line())
        receipts = phases.plan_receipts(catalog, rng, counts.receipts, onhand.now().date())
        say(phases.receive(onhand, receipts, book).line())
        say(phases.transfer(onhand, catalog, rng, book, counts.transfers).line())
        w3, calls, fefo_problems = picks.pick(onhand, rng, book, phases.lot_expiry(receipts), counts.picks)
        say(w3.line())
        say(f"W3 one pick = {len(picks.CALLS)} service calls: {calls.per_action(w3.count)}")
        w4, answers = phases.query_availability(onhand, catalog, rng, counts.queries)
        say(w4.line())
        fefo_ok = _check_fefo(fefo_problems, w3.count)
        return _check(onhand, book, answers) and fefo_ok
    finally:
        onhand.close()


def _check_fefo(problems: list[str], picked: int) -> bool:
    if problems:
        say(f"FEFO check: {len(problems)} of {picked} picks did not ship the first-expiring lots, e.g.")
        for text in problems[:5]:
            say(f"  {text}")
    else:
        say(f"FEFO check: ok (each of {picked} picks shipped in full, first-expiring lots first)")
    return not problems


def _check(onhand: Onhand, book: BalanceBook, answers: list[tuple[str, str, int]]) -> bool:
    differences = book_differences(onhand, book, answers)
    if differences:
        say(f"stock check: {len(differences)} differences from what the driver posted, e.g.")
        for text in differences[:5]:
            say(f"  {text}")
    else:
        say("stock check: ok (stock_levels and every W4 answer match what the driver posted; nothing reserved)")
    report = services.integrity.verify(onhand)
    say(verify_line(report))
    return report.ok and not differences


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    run_one = partial(run_workload, scale=args.scale, seed=args.seed)
    return cli.run_on_each_database(args, "Onhand standard workload", run_one)


if __name__ == "__main__":
    sys.exit(main())
