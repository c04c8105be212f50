"""Micro-benchmark of the pure valuation engine and the daily journal (no database).

    python -m benchmarks.valuation [--scale 1] [--seed 7]

V1  a backdated receipt into an item with 100,000 later moves (and as many before):
    the incremental `revalue` from the nearest checkpoint against a full re-run, for
    FIFO and moving average; the item is stocked at a distribution centre feeding 9
    stores (the receipt lands at one store, or at the DC whose transfers carry its
    effect everywhere) and, last, at one location only (nothing can be skipped);
J1  the daily summary journal of 100,000 valued moves and 20,000 sales lines, with
    locations as a tracking category, then its Xero JSON and CSV exports;
D1, D2  through the database (`benchmarks/valuation_history.py`): a backdated receipt
    into an item with 100,000 later moves through the receiving service, and the
    valuation report for 10,000 items (target: under 2 s on SQLite). A fresh SQLite file
    by default; `--postgres URL` adds a fresh PostgreSQL schema.

Each figure is checked after it is taken (incremental == full; the journal balances)
and the run exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from benchmarks import cli, valuation_history
from benchmarks.machine import load_line, machine_line, peak_rss_mib, python_line
from onhand.adapters.accounting import csv_export, xero
from onhand.domain.accounting.accounts import AccountMap, AccountRole
from onhand.domain.accounting.journal import SaleEntry, ValuedEntry, daily_journal
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.revaluation import apply_changes, revalue
from onhand.domain.valuation.value_history import CostMove, value_history

LATER_MOVES = 100_000  # at scale 1
JOURNAL_MOVES = 100_000
T0 = datetime(2026, 1, 1, tzinfo=UTC)
CHECKPOINT_EVERY = 1_000


def say(text: str) -> None:
    print(text, flush=True)


def history(rng: random.Random, count: int, locations: int) -> list[CostMove]:
    """Receipts, shipments and transfers of one item that never take more than is there.

    Location 1 is a distribution centre that receives most stock and sends some of it
    to the stores (2…); stores receive a little directly and ship to customers.
    """
    on_hand = defaultdict(int)
    moves: list[CostMove] = []
    for index in range(count):
        when = T0 + timedelta(minutes=index)
        move_id = index + 1
        draw = rng.random()
        here = 1 if locations == 1 or draw < 0.5 else rng.randrange(2, locations + 1)
        if draw < 0.3 or (draw >= 0.5 and rng.random() < 0.2) or on_hand[here] == 0:
            qty = rng.randint(5, 50)
            cost = Decimal(rng.randint(100, 999)) / 100
            moves.append(CostMove(move_id, when, MoveRole.RECEIPT, Decimal(qty), destination=here, unit_cost=cost))
            on_hand[here] += qty
        elif here == 1 and locations > 1 and draw < 0.45:
            there = rng.randrange(2, locations + 1)
            qty = rng.randint(1, on_hand[here])
            moves.append(CostMove(move_id, when, MoveRole.TRANSFER, Decimal(qty), source=here, destination=there))
            on_hand[here] -= qty
            on_hand[there] += qty
        else:
            qty = rng.randint(1, on_hand[here])
            moves.append(CostMove(move_id, when, MoveRole.SHIPMENT, Decimal(qty), source=here))
            on_hand[here] -= qty
    return moves


def revaluation_case(
    rng: random.Random, method: CostingMethod, later: int, locations: int, where: int
) -> tuple[str, bool]:
    moves = history(rng, 2 * later, locations)
    before = value_history(method, moves, checkpoint_every=CHECKPOINT_EVERY)
    cut = moves[later]  # the backdated receipt lands just before this move
    late = CostMove(len(moves) + 1, cut.at - timedelta(seconds=30), MoveRole.RECEIPT, Decimal(40),
                    destination=where, unit_cost=Decimal("1.23"))
    checkpoint = max((c for c in before.checkpoints if c.position is not None and c.position < late.position),
                     key=lambda c: c.position, default=None)
    after_checkpoint = [m for m in moves if checkpoint is None or m.position > checkpoint.position]
    # The driver holds millions of objects a service would not (two whole histories and their
    # values): keep the cyclic GC from rescanning them inside the timed calls.
    gc.collect()
    gc.freeze()

    start = time.perf_counter()
    result = revalue(method, checkpoint, [*after_checkpoint, late], before.values)
    incremental = time.perf_counter() - start

    start = time.perf_counter()
    full = value_history(method, [*moves, late])
    full_seconds = time.perf_counter() - start

    ok = apply_changes(before.values, result) == full.values
    ok = ok and before.final.merged(result.pools, result.position) == full.final
    gc.unfreeze()
    target = "the DC" if where == 1 else "a store"
    place = "1 location" if locations == 1 else f"{locations} locations, receipt at {target}"
    line = (
        f"V1 {method.value}, {place}: {len(after_checkpoint)} later moves -> incremental {incremental * 1000:.0f} ms "
        f"({result.valued} valued, {result.skipped} skipped, {len(result.changes)} changed) vs full re-run of "
        f"{len(moves) + 1} moves {full_seconds * 1000:.0f} ms = {full_seconds / incremental:.1f}x; "
        f"check {'ok' if ok else 'FAILED'}"
    )
    return line, ok


def journal_case(rng: random.Random, count: int) -> tuple[list[str], bool]:
    accounts = AccountMap({role: str(600 + index) for index, role in enumerate(AccountRole)},
                          by_category={"c1": {AccountRole.COGS: "511", AccountRole.REVENUE: "411"}})
    day = date(2026, 3, 2)
    roles = [MoveRole.RECEIPT, MoveRole.SHIPMENT, MoveRole.SHIPMENT, MoveRole.TRANSFER, MoveRole.SCRAP,
             MoveRole.ADJUSTMENT_IN, MoveRole.RETURN]
    entries = [
        ValuedEntry(i, rng.choice(roles), Decimal(rng.randint(1, 10**9)) / 10**6, day, day,
                    location=f"WH-{rng.randint(1, 10):02d}", destination=f"WH-{rng.randint(1, 10):02d}",
                    category=rng.choice([None, "c1", "c2"]))
        for i in range(count)
    ]
    sales = [SaleEntry(i, Decimal(rng.randint(100, 99_999)) / 100, day, day, f"WH-{rng.randint(1, 10):02d}")
             for i in range(count // 5)]
    start = time.perf_counter()
    journal = daily_journal(day, entries, sales, accounts=accounts, currency="USD", tracking_category="Location")
    build = time.perf_counter() - start
    start = time.perf_counter()
    body = xero.manual_journals_json([journal])
    text = csv_export.journal_csv([journal])
    export = time.perf_counter() - start
    again = daily_journal(day, entries[::-1], sales, accounts=accounts, currency="USD", tracking_category="Location")
    ok = journal.debits == journal.credits and xero.manual_journals_json([again]) == body
    lines = [
        f"J1 daily journal: {count} valued moves + {len(sales)} sales lines -> {len(journal.lines)} lines "
        f"in {build * 1000:.0f} ms = {count / build:.0f} moves/s; debits {journal.debits} = credits {journal.credits}",
        f"J1 exports (Xero JSON {len(body)} bytes, CSV {len(text)} bytes): {export * 1000:.1f} ms; "
        f"regenerated byte-identical: {'ok' if ok else 'FAILED'}",
    ]
    return lines, ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.valuation", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the standard sizes (default 1)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="an empty database for D1 and D2 (default: a fresh SQLite file)")
    parser.add_argument("--postgres", metavar="URL", help="also run D1 and D2 in a fresh schema of this database")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    rng = random.Random(args.seed)
    say(f"Onhand valuation benchmark: scale {args.scale:g}, seed {args.seed}")
    say(machine_line())
    say(python_line())
    say(load_line())
    ok = True
    later = max(100, round(LATER_MOVES * args.scale))
    for method in (CostingMethod.FIFO, CostingMethod.MOVING_AVERAGE):
        for locations, where in ((10, 7), (10, 1), (1, 1)):
            line, good = revaluation_case(rng, method, later, locations, where)
            say(line)
            ok = ok and good
    lines, good = journal_case(rng, max(100, round(JOURNAL_MOVES * args.scale)))
    for line in lines:
        say(line)
    for database in cli.database_factories(args):
        say(load_line())
        with database() as target:
            good = valuation_history.run(target.url, target.description, scale=args.scale, seed=args.seed) and good
    say(f"peak memory: {peak_rss_mib():.0f} MiB")
    return 0 if ok and good else 1


if __name__ == "__main__":
    sys.exit(main())
