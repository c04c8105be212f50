"""Run the standard workload (shared benchmarks.md) and print one line per phase.

    python -m benchmarks.standard_workload                      # SQLite file, WAL
    python -m benchmarks.standard_workload --scale 0.1
    python -m benchmarks.standard_workload --postgres postgresql://postgres@127.0.0.1:5432/test

Exits non-zero when `verify` fails or the stock the services report differs from
what the driver posted.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from benchmarks import databases, phases
from benchmarks.balances import BalanceBook
from benchmarks.counts import counts_for
from benchmarks.machine import machine_line, peak_rss_mib, python_line
from benchmarks.reconcile import book_differences
from onhand import services
from onhand.bootstrap import Onhand, open_onhand

DEFAULT_SEED = 20260302


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.standard_workload",
        description="Onhand's standard workload (W0-W4), one service call per action.",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default 1)")
    parser.add_argument(
        "--database-url",
        help="an empty database to run on (default: a fresh SQLite file in a temp dir, WAL)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on PostgreSQL, in a fresh schema of this database (dropped afterwards)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be greater than zero")
    return args


def say(text: str) -> None:
    print(text, flush=True)


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
        say(phases.SKIPPED_PICKS)
        w4, answers = phases.query_availability(onhand, catalog, rng, counts.queries)
        say(w4.line())
        return _check(onhand, book, answers)
    finally:
        onhand.close()


def _check(onhand: Onhand, book: BalanceBook, answers: list[tuple[str, str, int]]) -> bool:
    differences = book_differences(onhand, book, answers)
    if differences:
        say(f"stock check: {len(differences)} differences from what the driver posted, e.g.")
        for text in differences[:5]:
            say(f"  {text}")
    else:
        say("stock check: ok (stock_levels and every W4 answer match what the driver posted)")
    report = services.integrity.verify(onhand)
    verdict = "ok" if report.ok else "FAILED"
    say(
        f"verify: {verdict} ({report.moves_checked} moves, {report.balances_checked} balances; "
        f"{len(report.projection_mismatches)} projection mismatches, "
        f"{len(report.conservation_errors)} conservation errors, "
        f"{len(report.negative_balances)} negative balances)"
    )
    return report.ok and not differences


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    say(f"Onhand standard workload: scale {args.scale:g}, seed {args.seed}")
    say(machine_line())
    say(python_line())
    targets: list[Callable[[], AbstractContextManager[databases.Target]]] = [
        (lambda: databases.given(args.database_url)) if args.database_url else databases.fresh_sqlite
    ]
    if args.postgres:
        targets.append(lambda: databases.fresh_postgres_schema(args.postgres))
    ok = True
    for target in targets:
        say("")
        with target() as database:
            ok = run_workload(database.url, database.description, scale=args.scale, seed=args.seed) and ok
        say(f"peak memory (RSS, this process so far): {peak_rss_mib():.1f} MiB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
