"""Benchmark of adjustments, orders and relocations through the HTTP API, many clients at once (issue 18).

    python -m benchmarks.http [--scale 1] [--database-url URL] [--postgres URL] [--processes N] [--cpus auto]
                              [--seed N]

H1  3,000 adjustments (at scale 1) sent by 32 concurrent clients over keep-alive
    connections to the real HTTP server, `POST /api/v1/adjustments`, each +1 or −1 of a
    random SKU at a random warehouse with an Idempotency-Key of its own.
H2  3,000 orders the same way, `POST /api/v1/orders` with `"allocate": true`: one line of
    1–3 units of a random SKU, shipped from a random warehouse (the line's location), each
    with its own Idempotency-Key.
H3  3,000 stock reads the same way, `GET /api/v1/stock?sku=…&location=…` of a random SKU at
    a random warehouse (what a scanner or a shop's sync asks most): every answer a 200.
H4  3,000 relocations the same way, `POST /api/v1/relocations`: one unit of a random SKU from
    a random warehouse to another, each with its own Idempotency-Key: a posting of no document,
    made alone in its group (adjustments and orders are run together).

All four once with a transaction per write (ONHAND_GROUP_COMMIT=off) and once with the writes
group-committed (`--window-ms`), on the same database, one after the other. The server is
uvicorn serving `create_app` in this process as `onhand serve` does with one process; on
PostgreSQL with `--processes N` over 1 it is `onhand serve --processes N` (each server
process group-committing on its own in the second mode, at the default window). With `--cpus`
(`auto`, or a list of cores) it is `onhand serve --cpus …` on either database, each server
process kept on one core (its group commit at the default window). Timed: each
answer (p50, p95, p99), the throughput from the first request to the last answer, and the
CPU per request of the server (how it was counted is printed: this process's, or summed
over the server's processes) and of the clients' (the steadiest figures on a shared
machine), and the whole machine's CPU, busy share and per request (PostgreSQL's backends
included: on two cores they share, the cores may be the limit). The clients run in a
process of their own (`http_clients.py`), as real ones do. Every answer to a write must be a 201.
Checks, untimed: the stock report's on hand equals what H1 and H4 posted; every order answered
201 is allocated and the reserved quantities equal what those orders took (nothing
oversold); `verify` passes.

Beside the figures: the load average, and the raw `sqlite3` calibration loop
(`raw_loop.py`) run in the same minute, so runs on a busy, shared machine can be compared
by ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from benchmarks import http_clients, http_servers
from benchmarks.cli import add_run_options, check_scale, run_on_each_database, say
from benchmarks.machine import machine_cpu_line, machine_cpu_seconds
from benchmarks.raw_loop import raw_loop
from benchmarks.timing import percentile
from onhand import services
from onhand.adapters.db.group_commit import WINDOW_S
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine

ADJUSTMENTS = 3000
ORDERS = 3000
READS = 3000
RELOCATIONS = 3000
CLIENTS = 32
SKUS = 50
WAREHOUSES = ("WH-1", "WH-2", "WH-3", "WH-4")
START = 1000  # units of every SKU at every warehouse: a −1 or an order of 3 is never short
MAX_PROCESSES = 32
Book = Counter[tuple[str, str]]  # (SKU, warehouse) → units


@dataclass(frozen=True)
class Mode:
    name: str  # as printed
    prefix: str  # of idempotency keys and order references
    window: float | None  # group commit's window; None: a transaction per write


def setup(onhand: Onhand) -> str:
    for code in WAREHOUSES:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    for n in range(SKUS):
        services.items.create_item(onhand, CreateItem(sku=f"SKU-{n}", name=f"SKU {n}"))
    for code in WAREHOUSES:
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location=code, reason="found", lines=[StockLine(f"SKU-{n}", Decimal(START)) for n in range(SKUS)]))
    return services.keys.create_api_key(onhand, CreateApiKey(name="bench", role="operator")).secret


def in_process(processes: int, cpus: str) -> bool:
    """Whether the server runs in this process (else it is `onhand serve`)."""
    return processes == 1 and cpus == "off"


@contextmanager
def served(onhand: Onhand, url: str, mode: Mode, processes: int, cpus: str) -> Iterator[http_servers.Server]:
    if in_process(processes, cpus):
        with http_servers.in_process(onhand, mode.window) as server:
            yield server
        return
    with http_servers.server_processes(url, processes, group_commit="off" if mode.window is None else "on",
                                       cpus=cpus) as server:
        yield server


def headers(secret: str, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", "Idempotency-Key": key, "Content-Type": "application/json"}


def adjustments(secret: str, mode: Mode, count: int, rng: random.Random) -> tuple[list, list[tuple[str, str, int]]]:
    """H1's requests, and each one's (SKU, warehouse, quantity)."""
    lines = [(f"SKU-{rng.randrange(SKUS)}", rng.choice(WAREHOUSES), rng.choice((1, -1))) for _ in range(count)]
    plan = [("/api/v1/adjustments", headers(secret, f"{mode.prefix}-a-{n}"),
             json.dumps({"location": place, "reason": "found" if quantity > 0 else "lost",
                         "lines": [{"sku": sku, "quantity": str(quantity)}]}))
            for n, (sku, place, quantity) in enumerate(lines)]
    return plan, lines


def orders(secret: str, mode: Mode, count: int, rng: random.Random) -> tuple[list, list[tuple[str, str, int]]]:
    """H2's requests (an order allocated as it is made), and each one's (SKU, warehouse, quantity)."""
    lines = [(f"SKU-{rng.randrange(SKUS)}", rng.choice(WAREHOUSES), rng.randint(1, 3)) for _ in range(count)]
    plan = [("/api/v1/orders", headers(secret, f"{mode.prefix}-o-{n}"),
             json.dumps({"reference": f"H2-{mode.prefix}-{n}", "allocate": True,
                         "lines": [{"sku": sku, "quantity": str(quantity), "location": place}]}))
            for n, (sku, place, quantity) in enumerate(lines)]
    return plan, lines


def relocations(secret: str, mode: Mode, count: int, rng: random.Random) -> tuple[list, list[tuple[str, str, int]]]:
    """H4's requests, and what each one moves: (SKU, warehouse, −1) and (SKU, warehouse, +1)."""
    moves = [(f"SKU-{rng.randrange(SKUS)}", *rng.sample(WAREHOUSES, 2)) for _ in range(count)]
    plan = [("/api/v1/relocations", headers(secret, f"{mode.prefix}-r-{n}"),
             json.dumps({"source": source, "destination": destination, "lines": [{"sku": sku, "quantity": "1"}]}))
            for n, (sku, source, destination) in enumerate(moves)]
    return plan, [(sku, place, quantity) for sku, source, destination in moves
                  for place, quantity in ((source, -1), (destination, 1))]


def reads(secret: str, count: int, rng: random.Random) -> list:
    """H3's requests: the stock of a random SKU at a random warehouse."""
    return [(f"/api/v1/stock?sku=SKU-{rng.randrange(SKUS)}&location={rng.choice(WAREHOUSES)}",
             {"Authorization": f"Bearer {secret}"}, None) for _ in range(count)]


def timed(server: http_servers.Server, workload: str, noun: str, mode: Mode, plan: list,
          expected: int = 201) -> list[int]:
    """Send `plan` from CLIENTS clients, print the workload's line; each answer's status."""
    cpu, machine_before = server.cpu_seconds(), machine_cpu_seconds()
    result = http_clients.run(server.url, CLIENTS, plan)
    cpu, machine_after = server.cpu_seconds() - cpu, machine_cpu_seconds()
    count = len(plan)
    seconds = result["last_answer"] - result["began"]
    times = [ms for ms, _status in result["answers"]]
    statuses = [status for _ms, status in result["answers"]]
    server_errors = sum(1 for status in statuses if status >= 500)
    unexpected = sum(1 for status in statuses if status != expected)
    say(f"{workload} {mode.name}: {count} {noun} by {CLIENTS} clients in {seconds:.2f} s = {count / seconds:.0f}/s; "
        f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms; {server_errors} 5xx, {unexpected} not {expected}; "
        f"CPU per request {cpu / count * 1000:.2f} ms in the server ({server.counted}), "
        f"{result['cpu_seconds'] / count * 1000:.2f} ms in the clients' process; "
        f"{machine_cpu_line(machine_before, machine_after, count)}")
    return statuses


def run_mode(onhand: Onhand, url: str, secret: str, mode: Mode, *, scale: float, processes: int, cpus: str,
             rng: random.Random, posted: Book, reserved: Book) -> bool:
    """H1, H2, H3 then H4 in one mode, on one server; what the 201s posted and reserved is added
    to the books."""
    h1, h1_lines = adjustments(secret, mode, max(CLIENTS, round(ADJUSTMENTS * scale)), rng)
    h2, h2_lines = orders(secret, mode, max(CLIENTS, round(ORDERS * scale)), rng)
    h3 = reads(secret, max(CLIENTS, round(READS * scale)), rng)
    h4, h4_moves = relocations(secret, mode, max(CLIENTS, round(RELOCATIONS * scale)), rng)
    with served(onhand, url, mode, processes, cpus) as server:
        h1_statuses = timed(server, "H1", "adjustments", mode, h1)
        h2_statuses = timed(server, "H2", "orders allocated", mode, h2)
        h3_statuses = timed(server, "H3", "stock reads", mode, h3, expected=200)
        h4_statuses = timed(server, "H4", "relocations", mode, h4)
    h4_each = [status for status in h4_statuses for _half in range(2)]  # a move's two ends
    for book, lines, statuses in ((posted, h1_lines, h1_statuses), (reserved, h2_lines, h2_statuses),
                                  (posted, h4_moves, h4_each)):
        for (sku, place, quantity), status in zip(lines, statuses, strict=True):
            if status == 201:
                book[(sku, place)] += quantity
    return (all(status == 201 for status in (*h1_statuses, *h2_statuses, *h4_statuses))
            and all(status == 200 for status in h3_statuses))


def books_agree(onhand: Onhand, posted: Book, reserved: Book) -> tuple[bool, bool]:
    """Whether on hand is what H1 and H4 posted, and reserved what H2's orders took, at every warehouse."""
    levels = services.stock.stock_levels(onhand, group_by="bin").levels
    stored = {(level.sku, level.location): level for level in levels if level.location in WAREHOUSES}
    keys = [(f"SKU-{n}", place) for n in range(SKUS) for place in WAREHOUSES]
    on_hand = all(key in stored and stored[key].on_hand == START + posted[key] for key in keys)
    taken = all(key in stored and stored[key].reserved == reserved[key] and stored[key].available >= 0
                for key in keys) and set(stored) == set(keys)
    return on_hand, taken


def orders_allocated(onhand: Onhand) -> bool:
    """No order is left in any status but allocated (the reserved totals show none is missing)."""
    return not any(services.sales_orders.list_orders(onhand, status=status, limit=1)
                   for status in ("open", "backordered", "partially_shipped", "shipped", "cancelled"))


def run_one(url: str, description: str, *, scale: float, seed: int, window: float, processes: int,
            cpus: str = "off") -> bool:
    rng = random.Random(seed)
    processes = processes if url.startswith("postgresql") else 1  # SQLite is served by one process
    placed = "" if cpus == "off" else f", each kept on one core (onhand serve --cpus {cpus})"
    say(f"database: {description}; server processes: {processes}{placed}")
    say(raw_loop(max(2000, round(20_000 * scale))).line())
    onhand = open_onhand(url)
    try:
        secret = setup(onhand)
        posted: Book = Counter()
        reserved: Book = Counter()
        ok = True
        for mode in (Mode("a transaction per write", "t", None),
                     Mode(f"group commit ({window * 1000:g} ms window)" if in_process(processes, cpus)
                          else f"group commit (each process's, {WINDOW_S * 1000:g} ms window)", "g", window)):
            ok = run_mode(onhand, url, secret, mode, scale=scale, processes=processes, cpus=cpus, rng=rng,
                          posted=posted, reserved=reserved) and ok
        on_hand, taken = books_agree(onhand, posted, reserved)
        allocated = orders_allocated(onhand)
        verified = services.integrity.verify(onhand).ok
        say(f"checks: stock equals what was posted {'ok' if on_hand else 'FAILED'}; "
            f"every order allocated {'ok' if allocated else 'FAILED'}; "
            f"reserved equals what the orders took, none oversold {'ok' if taken else 'FAILED'}; "
            f"verify {'ok' if verified else 'FAILED'}")
        say(raw_loop(max(2000, round(20_000 * scale))).line() + " (again, after)")
        return ok and on_hand and allocated and taken and verified
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_run_options(parser)
    parser.add_argument("--window-ms", type=float, default=WINDOW_S * 1000,
                        help=f"how long the group writer waits for more after a group's first "
                             f"(default {WINDOW_S * 1000:g}; one server process in this process only)")
    parser.add_argument("--processes", type=int, default=1,
                        help=f"server processes for the PostgreSQL run (`onhand serve --processes N`, "
                             f"1-{MAX_PROCESSES}; SQLite is served by one); default 1")
    parser.add_argument("--cpus", default="off",
                        help="keep each server process on one core (`onhand serve --cpus`: auto, or a list such "
                             "as 1 or 0,2-3); default off, the server in this process")
    args = parser.parse_args(argv)
    check_scale(parser, args)
    if not 1 <= args.processes <= MAX_PROCESSES:
        parser.error(f"--processes must be from 1 to {MAX_PROCESSES}")
    return run_on_each_database(args, "HTTP adjustments and orders benchmark", lambda url, description: run_one(
        url, description, scale=args.scale, seed=args.seed, window=args.window_ms / 1000,
        processes=args.processes, cpus=args.cpus.strip().lower() or "off"))


if __name__ == "__main__":
    sys.exit(main())
