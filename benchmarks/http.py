"""Benchmark of adjustments through the HTTP API, many clients at once (issue 18, group commit).

    python -m benchmarks.http [--scale 1] [--database-url URL] [--postgres URL] [--seed N]

H1  3,000 adjustments (at scale 1) sent by 32 concurrent clients over keep-alive
    connections to the real HTTP server (uvicorn serving `create_app`, as `onhand serve`
    does), `POST /api/v1/adjustments`, each +1 or −1 of a random SKU at a random warehouse
    with an Idempotency-Key of its own; once with a transaction per write
    (ONHAND_GROUP_COMMIT=off) and once with the writes group-committed (one writer,
    `--window-ms`), on the same database, one after the other. Timed: each answer (p50,
    p95, p99), the throughput from the first request to the last answer, and the CPU per
    adjustment of the server's process and of the clients' (the steadiest figures on a shared
    machine). The clients run in a process of their own (`http_clients.py`), as real ones
    do; the server freezes its start-up heap as `onhand serve` does. Every answer must be a 201.
Checks, untimed: the stock report equals what the clients posted, and `verify` passes.

Beside the figures: the load average, and the raw `sqlite3` calibration loop
(`raw_loop.py`) run in the same minute, so runs on a busy, shared machine can be compared
by ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from benchmarks import http_clients
from benchmarks.cli import add_run_options, check_scale, run_on_each_database, say
from benchmarks.raw_loop import raw_loop
from benchmarks.timing import percentile
from onhand import services
from onhand.adapters.db.group_commit import WINDOW_S
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from onhand.entrypoints.api.app import create_app
from onhand.entrypoints.heap import freeze_start_up_heap
from onhand.entrypoints.start_up import warm_up
from onhand.services.ledger.postings import StockLine

ADJUSTMENTS = 3000
CLIENTS = 32
SKUS = 50
WAREHOUSES = ("WH-1", "WH-2", "WH-3", "WH-4")
START = 1000  # units of every SKU at every warehouse, so a −1 is never short


def setup(onhand: Onhand) -> str:
    for code in WAREHOUSES:
        services.locations.create_location(onhand, CreateLocation(code=code, name=code, kind="warehouse"))
    for n in range(SKUS):
        services.items.create_item(onhand, CreateItem(sku=f"SKU-{n}", name=f"SKU {n}"))
    for code in WAREHOUSES:
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location=code, reason="found", lines=[StockLine(f"SKU-{n}", Decimal(START)) for n in range(SKUS)]))
    return services.keys.create_api_key(onhand, CreateApiKey(name="bench", role="operator")).secret


@contextmanager
def served(onhand: Onhand, window: float | None) -> Iterator[str]:
    """The API on `onhand` served by uvicorn; writes group-committed with this window (None: not)."""
    from tests.e2e.conftest import serve_api

    writer = onhand.group_writer(window=window) if window is not None else None
    target = onhand.writing_through(writer) if writer is not None else onhand
    try:
        app = create_app(target)
        warm_up(app)  # as `onhand serve` does before its first request
        with serve_api(app, lifespan="off") as url:
            yield url
    finally:
        if writer is not None:
            writer.close()


def run_mode(onhand: Onhand, secret: str, window: float | None, count: int, rng: random.Random,
             book: Counter[tuple[str, str]]) -> bool:
    grouped = window is not None
    mode = f"group commit ({window * 1000:g} ms window)" if window is not None else "a transaction per write"
    requests = []
    for n in range(count):
        sku, place, quantity = f"SKU-{rng.randrange(SKUS)}", rng.choice(WAREHOUSES), rng.choice((1, -1))
        requests.append((f"{'g' if grouped else 't'}-{n}", sku, place, quantity))
    plan = [("/api/v1/adjustments",
             {"Authorization": f"Bearer {secret}", "Idempotency-Key": key, "Content-Type": "application/json"},
             json.dumps({"location": place, "reason": "found" if quantity > 0 else "lost",
                         "lines": [{"sku": sku, "quantity": str(quantity)}]}))
            for key, sku, place, quantity in requests]
    with served(onhand, window) as url:
        freeze_start_up_heap()  # as `onhand serve` does once its app is built
        cpu = time.process_time()
        result = http_clients.run(url, CLIENTS, plan)
        cpu = time.process_time() - cpu
    answers = [(ms, status) for ms, status in result["answers"]]
    seconds = result["last_answer"] - result["began"]
    times = [ms for ms, _status in answers]
    server_errors = sum(1 for _ms, status in answers if status >= 500)
    not_created = sum(1 for _ms, status in answers if status != 201)
    for (_key, sku, place, quantity), (_ms, status) in zip(requests, answers, strict=True):
        if status == 201:
            book[(sku, place)] += quantity
    say(f"H1 {mode}: {count} adjustments by {CLIENTS} clients in {seconds:.2f} s = {count / seconds:.0f}/s; "
        f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms; {server_errors} 5xx, {not_created} not 201; "
        f"CPU per adjustment {cpu / count * 1000:.2f} ms in the server, "
        f"{result['cpu_seconds'] / count * 1000:.2f} ms in the clients' process")
    return not_created == 0


def books_agree(onhand: Onhand, book: Counter[tuple[str, str]]) -> bool:
    levels = services.stock.stock_levels(onhand, group_by="bin").levels
    stored = {(level.sku, level.location): level.on_hand for level in levels if level.location in WAREHOUSES}
    wanted = {(f"SKU-{n}", place): Decimal(START + book[(f"SKU-{n}", place)])
              for n in range(SKUS) for place in WAREHOUSES}
    return stored == wanted


def run_one(url: str, description: str, *, scale: float, seed: int, window: float) -> bool:
    rng = random.Random(seed)
    count = max(CLIENTS, round(ADJUSTMENTS * scale))
    say(f"database: {description}")
    say(raw_loop(max(2000, round(20_000 * scale))).line())
    onhand = open_onhand(url)
    try:
        secret = setup(onhand)
        book: Counter[tuple[str, str]] = Counter()
        ok = run_mode(onhand, secret, None, count, rng, book)
        ok = run_mode(onhand, secret, window, count, rng, book) and ok
        agree = books_agree(onhand, book)
        verified = services.integrity.verify(onhand).ok
        say(f"checks: stock equals what was posted {'ok' if agree else 'FAILED'}; "
            f"verify {'ok' if verified else 'FAILED'}")
        say(raw_loop(max(2000, round(20_000 * scale))).line() + " (again, after)")
        return ok and agree and verified
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_run_options(parser)
    parser.add_argument("--window-ms", type=float, default=WINDOW_S * 1000,
                        help=f"how long the group writer waits for more after a group's first "
                             f"(default {WINDOW_S * 1000:g})")
    args = parser.parse_args(argv)
    check_scale(parser, args)
    return run_on_each_database(args, "HTTP adjustments benchmark", lambda url, description: run_one(
        url, description, scale=args.scale, seed=args.seed, window=args.window_ms / 1000))


if __name__ == "__main__":
    sys.exit(main())
