"""Does Onhand slow down as its history grows? Issue 18's figures at 10,000 and 1,000,000 moves.

    python -m benchmarks.scale [--scale 1] [--postgres URL] [--seed N] [--import-rows N]

For each size (10,000 and 1,000,000 moves at scale 1), on a fresh database: 10 warehouses
and 1,000 items (every other one lot-tracked) made through the services, then a history of
that many moves bulk-inserted with its postings, lots and balances (`history.py`: receipts,
relocations, shipments; balances folded, so the books prove out). Then:

W1  2,000 lot receipts (`post_adjustment`, one call each), as the standard workload's W1;
W4  2,000 stock reads (`stock_levels(sku=, location=, group_by="item")`), as its W4;
    both with SQLite's WAL checkpoints in a thread of their own, as `onhand serve` (and the
    worker in its process) runs them: a commit that checkpoints itself waits for pages
    written back into the file and its sync, which cost more in a larger file;
V   `onhand verify` and `onhand rebuild`, each the real command in a child process: wall,
    CPU (user + system of the child; PostgreSQL's own work is the server's) and peak RSS;
I   `onhand import stock FILE` of a 1,000,000-row opening-stock CSV (ONHAND_MAX_POSTING_LINES
    raised to the file's rows), in a child process: wall, CPU, peak RSS; at the smaller
    size also a file of a tenth of the rows, so that memory flat in the rows shows; then
    `onhand verify` again over the grown ledger.

Targets (issue 18): verify and rebuild at 1,000,000 moves under 3 s and 300 MB; the import's
memory flat (the same for a tenth of the rows) and its speed flat as the ledger grows; W1 and
W4 within 10 % between the sizes. Printed beside the load average and the raw `sqlite3`
calibration loop (`raw_loop.py`), before and after. Exit 1 if a command fails or a check does.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import onhand
from benchmarks import cli, databases, history, phases
from benchmarks.balances import BalanceBook
from benchmarks.cli import say
from benchmarks.machine import load_line, machine_line, python_line
from benchmarks.raw_loop import raw_loop
from benchmarks.timing import PhaseResult
from onhand.bootstrap import Onhand, checkpoints_in_background, open_onhand

SIZES = (10_000, 1_000_000)
ITEMS = 1_000
LOCATIONS = 10
RECEIPTS = 2_000
READS = 2_000
IMPORT_ROWS = 1_000_000
TARGET_SECONDS = 3.0
TARGET_MIB = 300.0
FLAT = 0.10


@dataclass(frozen=True)
class ChildRun:
    """One command in a child process: wall and CPU seconds, peak RSS, exit code."""

    wall: float
    cpu: float
    peak_mib: float
    code: int
    output: str

    def figures(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU, peak RSS {self.peak_mib:.0f} MiB"


NO_RUN = ChildRun(0.0, 0.0, 0.0, 0, "")


# The child's own peak: Linux carries the spawning process's peak RSS into the child's
# ru_maxrss (across vfork and exec), so the child reads its high-water mark itself.
_CHILD = """
import atexit, os, sys
def _peak():
    with open("/proc/self/status") as status, open(os.environ["ONHAND_BENCH_PEAK"], "w") as out:
        out.write(next((line.split()[1] for line in status if line.startswith("VmHWM:")), "0"))
atexit.register(_peak)
from onhand.entrypoints.cli.main import run
run()
"""


def onhand_command(url: str, *args: str, env: dict[str, str] | None = None) -> ChildRun:
    """`onhand --database-url URL ARGS…` as a user runs it: wall, CPU (`os.wait4`), peak RSS."""
    command = [sys.executable, "-c", _CHILD, "--database-url", url, *args]
    with tempfile.TemporaryFile("w+") as out, tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                 env={**os.environ, **(env or {}), "ONHAND_BENCH_PEAK": peak.name})
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
        kib = int(peak.read() or 0) if sys.platform == "linux" else usage.ru_maxrss
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, kib / 1024, child.returncode, text)


def write_opening_csv(path: Path, catalog: phases.Catalog, rows: int, today) -> None:
    """`rows` opening lines: every item at every warehouse, then again with the next lot."""
    skus, places = catalog.skus, catalog.locations
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["location", "sku", "quantity", "lot", "expiry_date"])
        for n in range(rows):
            sku = skus[n % len(skus)]
            place = places[(n // len(skus)) % len(places)]
            round_ = n // (len(skus) * len(places))
            if catalog.shelf_life[sku]:
                writer.writerow([place, sku, 5 + n % 20, f"O{round_:05d}", today + timedelta(days=200 + round_ % 300)])
            else:
                writer.writerow([place, sku, 5 + n % 20, "", ""])


@dataclass
class SizeFigures:
    moves: int
    w1: float = 0.0  # receipts per second
    w4: float = 0.0  # reads per second
    w1_cpu: float = 0.0  # CPU seconds per receipt (this process)
    w4_cpu: float = 0.0
    verify: ChildRun = NO_RUN
    rebuild: ChildRun = NO_RUN
    imported: ChildRun = NO_RUN


@dataclass
class Ledger:
    """One size's database, its catalog and its figures."""

    url: str
    onhand: Onhand
    catalog: phases.Catalog
    today: date
    rng: random.Random
    figures: SizeFigures
    received: int = 0  # receipts so far, so that each block's lots are new


def prepare(url: str, description: str, *, moves: int, scale: float, seed: int) -> Ledger:
    """A fresh database with the catalog made through the services and `moves` of history."""
    rng = random.Random(seed)
    say(load_line())
    say(f"database: {description}")
    onhand = open_onhand(url)
    items = max(20, round(ITEMS * min(scale * 10, 1)))
    started = time.perf_counter()
    _w0, catalog = phases.create_catalog(onhand, rng, items=items, locations=LOCATIONS)
    made = time.perf_counter() - started
    today = onhand.now().date()
    started = time.perf_counter()
    count = history.fill(onhand, catalog, rng, moves, today=today)
    say(f"setup: {items} items and {LOCATIONS} warehouses through the services in {made:.1f} s; "
        f"{moves} moves, {count} balances bulk-inserted in {time.perf_counter() - started:.1f} s")
    return Ledger(url, onhand, catalog, today, rng, SizeFigures(moves))


def taking_turns(ledgers: list[Ledger], count: int, phase: Callable[[Ledger, int], PhaseResult]) -> list[str]:
    """Run `phase` `count` times on every ledger, a block at a time on each in turn, so that
    both sizes see the same load (the machine is shared); returns each ledger's line."""
    block = max(10, count // 20)
    wall = [0.0] * len(ledgers)
    cpu = [0.0] * len(ledgers)
    result = None
    for start in range(0, count, block):
        for n, ledger in enumerate(ledgers):
            began = time.process_time()
            result = phase(ledger, min(block, count - start))
            cpu[n] += time.process_time() - began
            wall[n] += result.seconds
    assert result is not None
    lines = []
    for n, ledger in enumerate(ledgers):
        figure = PhaseResult(result.code, result.title, count, wall[n])
        per_cpu = cpu[n] / count
        if result.code == "W1":
            ledger.figures.w1, ledger.figures.w1_cpu = figure.rate, per_cpu
        else:
            ledger.figures.w4, ledger.figures.w4_cpu = figure.rate, per_cpu
        lines.append(f"{figure.line()} at {ledger.figures.moves} moves; {per_cpu * 1e3:.2f} ms CPU each "
                     f"(blocks of {block}, taking turns with the other size)")
    return lines


def receipts(ledger: Ledger, count: int) -> PhaseResult:
    plan = phases.plan_receipts(ledger.catalog, ledger.rng, count, ledger.today)
    # Each block's plan numbers its lots from 1 again: prefixed, every receipt is a new lot.
    plan = [phases.Receipt(r.location, replace(r.line, lot=f"W{ledger.received}-{r.line.lot}") if r.line.lot
                           else r.line) for r in plan]
    ledger.received += count
    return phases.receive(ledger.onhand, plan, BalanceBook())


def reads(ledger: Ledger, count: int) -> PhaseResult:
    return phases.query_availability(ledger.onhand, ledger.catalog, ledger.rng, count)[0]


def commands(ledger: Ledger, *, files: Path, import_rows: int, small: bool) -> bool:
    """verify, rebuild and the import(s), each the real command in a child process."""
    url, moves, figures = ledger.url, ledger.figures.moves, ledger.figures
    say(load_line())
    ok = True
    for name in ("verify", "rebuild"):
        run = onhand_command(url, name)
        setattr(figures, name, run)
        say(f"V {name} (onhand {name}, a child process) at {moves} moves and the receipts: {run.figures()}"
            f"{'' if run.code == 0 else f'; FAILED, exit {run.code}'}")
        ok = ok and run.code == 0
    for rows in ([import_rows // 10, import_rows] if small else [import_rows]) if import_rows else []:
        path = files / f"opening-{rows}.csv"
        if not path.exists():
            write_opening_csv(path, ledger.catalog, rows, ledger.today)
        figures.imported = run = onhand_command(url, "import", "stock", str(path),
                                                env={"ONHAND_MAX_POSTING_LINES": str(max(rows, 5000))})
        say(f"I import of {rows} opening-stock rows (onhand import stock) into {moves} moves: "
            f"{run.figures()}, {rows / run.wall:,.0f} rows/s"
            f"{'' if run.code == 0 else f'; FAILED, exit {run.code}: {run.output[-500:]}'}")
        ok = ok and run.code == 0
    if import_rows:
        after = onhand_command(url, "verify")
        say(f"V verify after the import(s): {after.figures()}{'' if after.code == 0 else '; FAILED'}")
        ok = ok and after.code == 0
    say(load_line())
    return ok


def judge(small: SizeFigures, large: SizeFigures) -> None:
    def verdict(met: bool) -> str:
        return "met" if met else "NOT MET"

    for name in ("verify", "rebuild"):
        run: ChildRun = getattr(large, name)
        met = run.wall < TARGET_SECONDS and run.peak_mib < TARGET_MIB
        on_cpu = run.cpu < TARGET_SECONDS and run.peak_mib < TARGET_MIB
        say(f"target {name} at {large.moves} moves (under {TARGET_SECONDS:.0f} s, under {TARGET_MIB:.0f} MB): "
            f"{verdict(met)} ({run.wall:.2f} s, {run.peak_mib:.0f} MiB); in the command's CPU seconds "
            f"{verdict(on_cpu)} ({run.cpu:.2f} s; PostgreSQL's own work is not in them)")
    for code, before, after, cpu_before, cpu_after in (
        ("W1", small.w1, large.w1, small.w1_cpu, large.w1_cpu), ("W4", small.w4, large.w4, small.w4_cpu, large.w4_cpu),
    ):
        ratio = after / before if before else 0.0
        cpu_ratio = cpu_before / cpu_after if cpu_after else 0.0
        say(f"target {code} flat from {small.moves} to {large.moves} moves (within {FLAT:.0%}): "
            f"{verdict(ratio >= 1 - FLAT)} ({before:.0f}/s → {after:.0f}/s, {ratio:.2f}); per CPU-second "
            f"{verdict(cpu_ratio >= 1 - FLAT)} ({cpu_before * 1e3:.2f} → {cpu_after * 1e3:.2f} ms, {cpu_ratio:.2f})")
    if not small.imported.wall:
        return
    ratio = large.imported.wall / small.imported.wall
    say(f"target import speed flat as the ledger grows (within {FLAT:.0%}): {verdict(ratio <= 1 + FLAT)} "
        f"({small.imported.wall:.1f} s at {small.moves} moves → {large.imported.wall:.1f} s at {large.moves}, "
        f"{ratio:.2f})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the sizes and the import (default 1)")
    parser.add_argument("--postgres", metavar="URL",
                        help="also run on PostgreSQL, a fresh schema of this (scratch) database per size")
    parser.add_argument("--seed", type=int, default=cli.DEFAULT_SEED, help=f"default {cli.DEFAULT_SEED}")
    parser.add_argument("--import-rows", type=int, help=f"rows of the opening-stock file (default "
                        f"{IMPORT_ROWS:,} x scale; 0: no import)")
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    sizes = [max(100, round(size * args.scale)) for size in SIZES]
    rows = max(100, round(IMPORT_ROWS * args.scale)) if args.import_rows is None else args.import_rows
    say(f"Onhand scale benchmark: scale {args.scale:g}, seed {args.seed}, sizes {sizes}, import {rows} rows")
    say(machine_line())
    say(python_line())
    say(raw_loop(max(2000, round(20_000 * args.scale))).line())
    # The commands run as installed: their bytecode compiled once, not at every start.
    compileall.compile_dir(Path(onhand.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="onhand-scale-") as directory:
        empty = f"sqlite:///{Path(directory) / 'empty.db'}"
        open_onhand(empty).close()
        start = onhand_command(empty, "verify")
        say(f"start-up: onhand verify of an empty database: {start.figures()}")
    ok = True
    engines = ["sqlite"] + (["postgresql"] if args.postgres else [])
    with tempfile.TemporaryDirectory(prefix="onhand-scale-") as directory:
        for engine in engines:
            with ExitStack() as stack:
                ledgers = []
                for moves in sizes:
                    say("")
                    database = databases.fresh_sqlite() if engine == "sqlite" else \
                        databases.fresh_postgres_schema(args.postgres)
                    target = stack.enter_context(database)
                    ledger = prepare(target.url, target.description, moves=moves, scale=args.scale, seed=args.seed)
                    stack.callback(ledger.onhand.close)
                    ledgers.append(ledger)
                say("")
                say(load_line())
                count = max(20, round(RECEIPTS * min(args.scale * 10, 1)))
                with ExitStack() as served:  # SQLite's WAL checkpoints in a thread, as `onhand serve` runs them
                    for ledger in ledgers:
                        served.enter_context(checkpoints_in_background(ledger.onhand.engine))
                    for line in taking_turns(ledgers, count, receipts) + taking_turns(ledgers, count, reads):
                        say(line)
                for ledger in ledgers:
                    ledger.onhand.close()
                for index, ledger in enumerate(ledgers):
                    say("")
                    ok = commands(ledger, files=Path(directory), import_rows=rows, small=index == 0) and ok
                say("")
                judge(ledgers[0].figures, ledgers[-1].figures)
    say(raw_loop(max(2000, round(20_000 * args.scale))).line() + " (again, after)")
    say(load_line())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
