"""Benchmark of Shopify order webhooks in and availability out (issue 16, "Performance").

    python -m benchmarks.channels [--scale 1] [--database-url URL] [--postgres URL] [--seed N]

C1  1,000 order webhooks (at scale 1) sent by 16 concurrent senders over keep-alive
    connections to the real HTTP server (uvicorn, `POST /webhooks/shopify/{channel}`),
    signed over the raw body; 10% of them are re-deliveries of an event already sent. The
    senders run in a process of their own (`http_clients.py`), as Shopify's do; the
    server freezes its start-up heap as `onhand serve` does (`entrypoints/heap.py`).
    Timed: each answer (p50, p95, p99; target p99 < 100 ms). The server's writes are
    group-committed as `onhand serve`'s are (ONHAND_GROUP_COMMIT=off: a transaction per
    write). Meanwhile the worker runs as deployed: in the server's process on SQLite (as
    `onhand serve` runs it), as two `onhand worker --nice 5` processes on PostgreSQL (woken
    by the feed's NOTIFY; a lower priority than the server's, whose cores they share),
    importing the orders and pushing quantities to a Shopify stand-in.
C2  exactly once: every distinct event stored once, every Shopify order imported once.
C3  the time from the last answer until the stand-in shop holds, for every mapped item,
    what Onhand's stock report says is available (target < 2 s).

Beside the figures: the load average, and a calibration in the same minute — a raw
`sqlite3` loop on a WAL file (synchronous=NORMAL) writing what one posting writes (a
posting row, two moves, two balance upserts) per transaction — so runs on a busy,
shared machine can be compared by ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from fastapi import FastAPI

from benchmarks import http_clients
from benchmarks.cli import add_run_options, check_scale, run_on_each_database, say
from benchmarks.timing import percentile
from onhand import services
from onhand.adapters.channels.shopify.signatures import signature
from onhand.bootstrap import open_onhand, serving
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.channels.commands import AddChannel, MapLocation, MapSku
from onhand.domain.ledger.commands import PostAdjustment
from onhand.entrypoints.api.app import create_app
from onhand.entrypoints.cli.worker import worker_in_background
from onhand.entrypoints.heap import freeze_start_up_heap
from onhand.entrypoints.start_up import warm_up
from onhand.services.ledger.postings import StockLine

WEBHOOKS = 1000
SENDERS = 16
DUPLICATE_SHARE = 0.1
SKUS = 20
SECRET = "shpss_bench_secret"
TOKEN = "shpat_test_token"  # what the stand-in accepts
LOCATION = "487838322"
TARGET_P99_MS = 100.0
TARGET_CORRECT_S = 2.0
CALIBRATION_ROUNDS = 500
# The workers share the server's two cores here: deployed so, they run at a lower priority
# (`onhand worker --nice`), so the answers come first and the import catches up after.
WORKER_NICE = 5


def calibration() -> str:
    """Postings per second of a raw sqlite3 loop writing what one posting writes."""
    with tempfile.TemporaryDirectory() as directory:
        conn = sqlite3.connect(Path(directory) / "calibration.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript("""
            CREATE TABLE postings (id INTEGER PRIMARY KEY, kind TEXT, at TEXT);
            CREATE TABLE moves (id INTEGER PRIMARY KEY, posting_id INT, item INT, source INT, target INT, q INT);
            CREATE TABLE balances (item INT, location INT, on_hand INT, PRIMARY KEY (item, location));
        """)
        started = time.perf_counter()
        for n in range(CALIBRATION_ROUNDS):
            conn.execute("BEGIN IMMEDIATE")
            posting = conn.execute("INSERT INTO postings (kind, at) VALUES ('x', '2026')").lastrowid
            for source, target in ((1, 2), (2, 3)):
                conn.execute("INSERT INTO moves (posting_id, item, source, target, q) VALUES (?, ?, ?, ?, 1)",
                             (posting, n % 50, source, target))
            for location, delta in ((1, -1), (2, 1)):
                conn.execute("INSERT INTO balances VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET on_hand = on_hand + ?",
                             (n % 50, location, delta, delta))
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
    return f"calibration: raw sqlite3 (WAL, synchronous=NORMAL) {CALIBRATION_ROUNDS / seconds:.0f} postings/s"


def order(number: int, sku: str, variant: int, quantity: int) -> bytes:
    return json.dumps({
        "id": 6_000_000_000_000 + number, "name": f"#{1000 + number}", "currency": "USD",
        "created_at": "2026-03-30T10:30:00-05:00", "updated_at": "2026-03-30T10:30:00-05:00",
        "financial_status": "paid", "fulfillment_status": None, "cancelled_at": None,
        "line_items": [{"id": 9_000_000_000_000 + number, "variant_id": variant, "sku": sku, "quantity": quantity,
                        "price": "12.50", "fulfillable_quantity": quantity}],
    }, separators=(",", ":")).encode()


def setup(onhand, directory: Path, shop_url: str) -> None:
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    secrets = directory / "secrets.json"
    secrets.write_text(json.dumps({"access_token": TOKEN, "webhook_secret": SECRET}))
    os.chmod(secrets, stat.S_IRUSR | stat.S_IWUSR)
    services.channels.add_channel(onhand, AddChannel(name="bench", kind="shopify", endpoint=shop_url,
                                                     credentials=f"file:{secrets}"))
    services.channels.map_location(onhand, MapLocation("bench", "NY", LOCATION))
    for n in range(SKUS):
        sku = f"SKU-{n}"
        services.items.create_item(onhand, CreateItem(sku=sku, name=sku))
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location="NY", reason="found", lines=[StockLine(sku, Decimal(100_000))]))
        services.channels.map_sku(onhand, MapSku("bench", sku, external_variant_id=str(700 + n),
                                                 external_item_id=str(800 + n)))


def shop_is_correct(onhand, shop) -> bool:
    report = services.stock.stock_levels(onhand, location="NY")
    wanted = {(str(800 + int(r.sku.split("-")[1])), LOCATION): int(r.available) for r in report.levels}
    with shop.lock:
        return dict(shop.levels) == wanted


def waiting(onhand) -> bool:
    with onhand.reading() as uow:
        return bool(uow.channels.pending_deliveries(limit=1, max_attempts=services.channel_inbox.MAX_ATTEMPTS))


def run_one(url: str, description: str, *, scale: float, seed: int, processes: int) -> bool:
    from tests.e2e.conftest import serve_api
    from tests.shopify_stand_in import shopify_stand_in

    rng = random.Random(seed)
    count = max(10, round(WEBHOOKS * scale))
    say(f"database: {description}")
    say(calibration())
    onhand = open_onhand(url)
    with tempfile.TemporaryDirectory() as directory, shopify_stand_in() as (shop, shop_url), \
            serving(onhand) as served, serve_api(_warm(create_app(served)), lifespan="off") as api:
        setup(onhand, Path(directory), shop_url)
        services.channel_worker.sync(onhand)
        with workers_running(onhand, url, processes, Path(directory)):
            ok = _deliver(onhand, api, shop, rng, count, processes)
        if processes:
            logs = "".join(log.read_text() for log in Path(directory).glob("worker-*.log"))
            say(f"workers: {logs.count('go one by one')} groups of deliveries went one by one "
                f"(a conflict or deadlock), {logs.count('Traceback')} tracebacks")
    onhand.close()
    return ok


def _warm(app: FastAPI) -> FastAPI:
    warm_up(app)  # as `onhand serve` does before its first request
    return app


@contextmanager
def workers_running(onhand, url: str, processes: int, directory: Path) -> Iterator[None]:
    """The worker as deployed: in the server's process (`onhand serve` on SQLite) when
    `processes` is 0, else that many `onhand worker` processes (PostgreSQL)."""
    if not processes:
        with worker_in_background(onhand):
            yield
        return
    logs = [directory / f"worker-{n}.log" for n in range(processes)]
    command = [sys.executable, "-c", "from onhand.entrypoints.cli.main import run; run()", "--database-url", url,
               "worker", "--nice", str(WORKER_NICE)]
    running = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log.open("w")) for log in logs]
    try:
        _wait_until_running(running, logs)
        yield
    finally:
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            process.wait(timeout=60)


def _wait_until_running(running: list[subprocess.Popen[bytes]], logs: list[Path], timeout: float = 120) -> None:
    """Until every worker says it runs: deployed workers are up before webhooks come (a
    worker's start-up, a second or two of imports here, is not the import's speed)."""
    deadline = time.monotonic() + timeout
    while not all("worker running" in log.read_text() for log in logs):
        if any(process.poll() is not None for process in running) or time.monotonic() > deadline:
            raise RuntimeError("a worker did not start: " + " | ".join(log.read_text()[-500:] for log in logs))
        time.sleep(0.05)


def _deliver(onhand, api: str, shop, rng: random.Random, count: int, processes: int) -> bool:
    """C1-C3 with the server and the workers running."""
    distinct = count - round(count * DUPLICATE_SHARE)
    deliveries = []
    for n in range(distinct):
        sku = rng.randrange(SKUS)
        deliveries.append((f"event-{n}", order(n, f"SKU-{sku}", 700 + sku, rng.randint(1, 3))))
    deliveries += [rng.choice(deliveries) for _ in range(count - distinct)]
    rng.shuffle(deliveries)
    freeze_start_up_heap()  # as `onhand serve` does once its app is built
    result = http_clients.run(api, SENDERS, [
        ("/webhooks/shopify/bench", {"X-Shopify-Topic": "orders/create", "X-Shopify-Event-Id": event_id,
                                     "X-Shopify-Hmac-Sha256": signature(body, SECRET),
                                     "Content-Type": "application/json"}, body.decode())
        for event_id, body in deliveries])
    answers = [(ms, status) for ms, status in result["answers"]]
    began, last_answer = result["began"], result["last_answer"]
    times = [ms for ms, _status in answers]
    bad = sum(1 for _ms, status in answers if status != 200)
    p99 = percentile(times, 0.99)
    say(f"C1 webhooks: {count} answered by {SENDERS} senders in {last_answer - began:.2f} s = "
        f"{count / (last_answer - began):.0f}/s; p50 {percentile(times, 0.5):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms, p99 {p99:.1f} ms; {bad} not 200; "
        f"worker: {f'{processes} processes' if processes else 'in the server process'}")
    deadline = last_answer + 60
    correct_after = imported_after = None
    with onhand.reading() as uow:
        backlog = len(uow.channels.pending_deliveries(limit=count, max_attempts=services.channel_inbox.MAX_ATTEMPTS))
    while time.time() < deadline:
        if not waiting(onhand):
            imported_after = imported_after or time.time() - last_answer
            if shop_is_correct(onhand, shop):
                correct_after = time.time() - last_answer
                break
        time.sleep(0.01)
    orders = []
    while page := services.sales_orders.list_orders(onhand, channel="bench", limit=1000, offset=len(orders)):
        orders += page
    with onhand.reading() as uow:
        channel = uow.channels.by_name("bench")
        stored = sum(1 for n in range(distinct) if uow.channels.delivery_by_event(channel.id, f"event-{n}"))
    once = len(orders) == distinct and len({o.external_id for o in orders}) == distinct and stored == distinct
    say(f"C2 exactly once: {stored} events stored of {distinct} distinct, {len(orders)} orders imported "
        f"of {distinct}: {'ok' if once else 'FAILED'}")
    shown = f"{correct_after:.2f} s" if correct_after is not None else "not within 60 s"
    say(f"C3 the shop holds Onhand's availability {shown} after the last answer ({backlog} deliveries were "
        f"waiting then, all imported {imported_after or 0:.2f} s after it)")
    in_time = correct_after is not None and correct_after < TARGET_CORRECT_S
    say(f"targets: p99 < {TARGET_P99_MS:.0f} ms {'met' if p99 < TARGET_P99_MS else 'missed'}; correct within "
        f"{TARGET_CORRECT_S:.0f} s {'met' if in_time else 'missed'}")
    return once and bad == 0 and correct_after is not None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_options(parser)
    args = parser.parse_args(argv)
    check_scale(parser, args)
    return run_on_each_database(args, "channels benchmark", lambda url, description: run_one(
        url, description, scale=args.scale, seed=args.seed,
        processes=2 if url.startswith("postgresql") else 0))


if __name__ == "__main__":
    sys.exit(main())
