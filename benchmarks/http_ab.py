"""Two versions of Onhand side by side through the HTTP API, in interleaved bursts (issue 18).

    python -m benchmarks.http_ab --before DIR [--workload H1|H2|H3] [--rounds 8] [--burst 800] [--cpus auto]
                                 [--seed N]

On a shared machine whose speed drifts by a third within an hour, two runs made one after
the other cannot show a change of a tenth. So this serves a SQLite database each with two
`onhand serve` processes (group commit on, as a server has it): A runs the code in
`--before`, a directory holding another version's `src` (`git archive REV src | tar -x -C
DIR`), B this checkout's. Their bursts alternate, A then B, then B then A: 32 clients send
`--burst` requests of the workload (`benchmarks.http`'s H1 adjustments, H2 orders allocated,
H3 stock reads) to one, then to the other, so both see the same minutes. The first round
warms both up and is not counted. Printed for each version: the medians over the rounds of
the throughput, the server process's CPU per request (from /proc/<pid>/stat) and the p99,
and the spread of the throughput; beside them the load average and the raw `sqlite3`
calibration loop, before and after. Every answer must be a 2xx.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from benchmarks import http, http_clients, http_servers
from benchmarks.cli import say
from benchmarks.machine import load_line, machine_line, python_line
from benchmarks.raw_loop import raw_loop
from benchmarks.timing import percentile
from onhand.bootstrap import open_onhand

WORKLOADS = ("H1", "H2", "H3")
THIS = Path(__file__).resolve().parent.parent / "src"


@contextmanager
def _code_from(src: Path) -> Iterator[None]:
    """Child processes started in the block import Onhand from `src`."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(src)
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def _plan(workload: str, secret: str, prefix: str, count: int, rng: random.Random) -> list:
    mode = http.Mode(prefix, prefix, None)
    if workload == "H1":
        return http.adjustments(secret, mode, count, rng)[0]
    if workload == "H2":
        return http.orders(secret, mode, count, rng)[0]
    return http.reads(secret, count, rng)


def run(before: Path, workload: str, *, rounds: int, burst: int, cpus: str, seed: int) -> bool:
    say(machine_line())
    say(python_line())
    say(load_line())
    say(raw_loop(20_000).line())
    say(f"A: the code in {before}; B: this checkout ({THIS}); {workload}, {rounds} rounds of {burst} requests "
        f"by {http.CLIENTS} clients to each, interleaved, after one round of warm-up; group commit on; "
        f"onhand serve --cpus {cpus}")
    rng = random.Random(seed)
    figures: dict[str, list[tuple[float, float, float]]] = {"A": [], "B": []}
    failed = 0
    with tempfile.TemporaryDirectory(prefix="onhand-bench-ab-") as directory, ExitStack() as stack:
        servers, secrets = {}, {}
        for name, src in (("A", before), ("B", THIS)):
            url = f"sqlite:///{Path(directory) / f'{name}.db'}"
            onhand = open_onhand(url)
            try:
                secrets[name] = http.setup(onhand)
            finally:
                onhand.close()
            with _code_from(src):
                servers[name] = stack.enter_context(http_servers.server_processes(url, 1, group_commit="on", cpus=cpus))
        for number in range(rounds + 1):
            for name in ("A", "B") if number % 2 == 0 else ("B", "A"):
                server = servers[name]
                plan = _plan(workload, secrets[name], f"{name}{number}", burst, rng)
                cpu = server.cpu_seconds()
                result = http_clients.run(server.url, http.CLIENTS, plan)
                cpu = server.cpu_seconds() - cpu
                failed += sum(1 for _ms, status in result["answers"] if not 200 <= status < 300)
                if number:  # the first round warms up
                    seconds = result["last_answer"] - result["began"]
                    p99 = percentile([ms for ms, _status in result["answers"]], 0.99)
                    figures[name].append((burst / seconds, cpu / burst * 1000, p99))
    for name in ("A", "B"):
        rates = [rate for rate, _cpu, _p99 in figures[name]]
        say(f"{workload} {name}: {statistics.median(rates):.0f}/s, "
            f"{statistics.median(cpu for _rate, cpu, _p99 in figures[name]):.2f} ms CPU per request in the server, "
            f"p99 {statistics.median(p99 for _rate, _cpu, p99 in figures[name]):.1f} ms "
            f"(medians of {len(rates)} bursts; {min(rates):.0f}-{max(rates):.0f}/s)")
    say(f"answers not 2xx: {failed}")
    say(load_line())
    say(raw_loop(20_000).line() + " (again, after)")
    return failed == 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", required=True, type=Path,
                        help="a directory holding the other version's src (git archive REV src | tar -x -C DIR)")
    parser.add_argument("--workload", choices=WORKLOADS, default="H1", help="default H1")
    parser.add_argument("--rounds", type=int, default=8, help="counted rounds, 1-100 (default 8)")
    parser.add_argument("--burst", type=int, default=800, help="requests per burst, 32-100000 (default 800)")
    parser.add_argument("--cpus", default="auto", help="onhand serve --cpus for both (default auto)")
    parser.add_argument("--seed", type=int, default=20260302, help="default 20260302")
    args = parser.parse_args(argv)
    src = args.before / "src" if (args.before / "src" / "onhand").is_dir() else args.before
    if not (src / "onhand" / "__init__.py").is_file():
        parser.error(f"--before: no Onhand source in {args.before} (expected {args.before}/src/onhand)")
    if not 1 <= args.rounds <= 100:
        parser.error("--rounds must be from 1 to 100")
    if not http.CLIENTS <= args.burst <= 100_000:
        parser.error(f"--burst must be from {http.CLIENTS} to 100000")
    return 0 if run(src.resolve(), args.workload, rounds=args.rounds, burst=args.burst,
                    cpus=args.cpus.strip().lower() or "off", seed=args.seed) else 1


if __name__ == "__main__":
    sys.exit(main())
