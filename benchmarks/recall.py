"""Benchmark of the recall report: who received one lot, directly or inside products
built from it three build levels up, and where the rest is.

    python -m benchmarks.recall [--scale 1] [--database-url URL] [--postgres URL] [--seed N]

R1  a ledger of 1,000,000 moves (at scale 1): receipts of 2,000 RAW lots; three levels
    of builds (RAW → MID → TOP → BOX lots, each built from two lots of the level below);
    400,000 shipments, each its own sales order to one of 10,000 customers; relocations
    between ten warehouses for the rest. The recalled RAW lot feeds five MID lots, each
    MID two TOP lots, each TOP two BOX lots, and every lot ships. Timed: the recall report
    for that lot through `services.traces.recall_report` (median of 20 calls), beside one
    raw SQL query on the driver's own connection that reads the same rows (the lots built
    from it by one recursive query, joined to their shipments with order and customer, and
    to their balances). Target: under 200 ms on SQLite and on PostgreSQL.

The rows are bulk-inserted (not timed), balances folded from the generated moves.
Checks: every unit of the recalled lot is accounted for (received = with customers + on
hand + into builds), what went into builds equals what the products hold, and the
customers in the report are exactly those the generator shipped the lot's family to.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from benchmarks.cli import add_run_options, check_scale, run_on_each_database, say
from benchmarks.databases import bulk_load
from onhand import services
from onhand.adapters.db.tables import (
    balances,
    items,
    lots,
    moves,
    postings,
    sales_order_lines,
    sales_orders,
    shipment_lines,
    shipments,
)
from onhand.adapters.db.tables.assemblies import build_runs, lot_genealogy
from onhand.adapters.db.tables.traceability import customers
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateLocation
from onhand.services.traceability.views import LotRef

MOVES = 1_000_000
CUSTOMERS = 10_000
RAW_LOTS = 2_000
SHIPMENT_SHARE = 0.4
TARGET_MS = 200.0
REPEATS = 20
CHUNK = 10_000
START = datetime(2026, 1, 1, tzinfo=UTC)
SCALE = Decimal(10) ** 6

RAW_SQL = """
WITH RECURSIVE traced(lot_id, depth) AS (
    SELECT CAST({lot} AS BIGINT), 0
    UNION
    SELECT g.parent_lot_id, t.depth + 1 FROM traced t
    JOIN lot_genealogy g ON g.child_lot_id = t.lot_id
    JOIN build_runs r ON r.id = g.run_id AND r.kind = 'build'
    WHERE g.parent_lot_id IS NOT NULL
)
SELECT 'shipment', sl.lot_id, sl.quantity, o.reference, c.code, c.name, c.email, p.effective_at
FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id JOIN postings p ON p.id = s.posting_id
JOIN sales_order_lines ol ON ol.id = sl.order_line_id JOIN sales_orders o ON o.id = ol.order_id
LEFT JOIN customers c ON c.id = o.customer_id
WHERE sl.lot_id IN (SELECT lot_id FROM traced)
UNION ALL
SELECT 'balance', b.lot_key, b.on_hand, NULL, NULL, NULL, NULL, NULL FROM balances b
WHERE b.lot_key IN (SELECT lot_id FROM traced)
  AND b.item_id IN (SELECT item_id FROM lots WHERE id IN (SELECT lot_id FROM traced)) AND b.on_hand <> 0
"""


class Ledger:
    """The generated books: rows per table, balances folded as moves are made."""

    def __init__(self, places: dict[str, int]) -> None:
        self.places = places
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.balance: dict[tuple[int, int, int], int] = defaultdict(int)
        self.move_id = 0
        self.posting_id = 0
        self.when = START

    def posting(self, kind: str) -> int:
        self.posting_id += 1
        self.when += timedelta(seconds=20)
        self.rows["postings"].append({"id": self.posting_id, "kind": kind, "created_at": self.when,
                                      "effective_at": self.when, "actor": "system"})
        return self.posting_id

    def move(self, posting: int, item: int, lot: int, source: int, target: int, qty: int) -> None:
        self.move_id += 1
        self.rows["moves"].append({"id": self.move_id, "posting_id": posting, "item_id": item, "lot_id": lot,
                                   "from_location_id": source, "to_location_id": target,
                                   "quantity": Decimal(qty)})
        self.balance[(item, source, lot)] -= qty
        self.balance[(item, target, lot)] += qty


def generate(onhand, rng: random.Random, total_moves: int, customer_count: int, raw_lots: int):
    for n in range(10):
        services.locations.create_location(onhand, CreateLocation(
            code=f"WH{n}", name=f"Warehouse {n}", kind="warehouse"))
    with onhand.reading() as uow:
        places = {loc.code: loc.id for loc in uow.locations.all()}
    book = Ledger(places)
    whs = [places[f"WH{n}"] for n in range(10)]
    supplier, customer, production = places["SUPPLIER"], places["CUSTOMER"], places["PRODUCTION"]
    levels = ["RAW", "MID", "TOP", "BOX"]
    item_ids = {name: index + 1 for index, name in enumerate(levels)}
    for name, item_id in item_ids.items():
        book.rows["items"].append({"id": item_id, "sku": name, "name": name, "unit_code": "each", "tracking": "lot",
                                   "kind": "stocked" if name == "RAW" else "assembly", "created_at": START})
    lot_ids: dict[str, list[int]] = defaultdict(list)
    stock: dict[int, list[int]] = {}  # lot -> [item, location, on hand there]
    next_lot = [0]

    def new_lot(level: str) -> int:
        next_lot[0] += 1
        lot_id = next_lot[0]
        book.rows["lots"].append({"id": lot_id, "item_id": item_ids[level], "code": f"{level}-{lot_id}",
                                  "status": "released", "created_at": START})
        lot_ids[level].append(lot_id)
        return lot_id

    for _ in range(raw_lots):  # receipts
        lot = new_lot("RAW")
        here = rng.choice(whs)
        book.move(book.posting("receipt"), item_ids["RAW"], lot, supplier, here, 1000)
        stock[lot] = [item_ids["RAW"], here, 1000]
    target = lot_ids["RAW"][0]
    # Three build levels, each lot of the level above built from two lots below (the
    # recalled lot's family forced: 5 MID, each in 2 TOP, each in 2 BOX).
    plan = [("MID", "RAW", max(10, raw_lots // 2), 20, 10), ("TOP", "MID", max(6, raw_lots // 6), 5, 4),
            ("BOX", "TOP", max(4, raw_lots // 20), 2, 2)]
    family = {target}
    run_id = 0
    for level, below, count, each, made in plan:
        forced = {"MID": 5, "TOP": 10, "BOX": 20}[level]
        for n in range(count):
            pool = [lot for lot in lot_ids[below] if stock[lot][2] >= each]
            mine = [lot for lot in pool if lot in family]
            parts = [mine[n % len(mine)], rng.choice(pool)] if n < forced and mine else rng.sample(pool, 2)
            if parts[0] == parts[1]:
                parts = parts[:1]
            out = new_lot(level)
            here = stock[parts[0]][1]
            posting = book.posting("build")
            run_id += 1
            book.rows["build_runs"].append({"id": run_id, "kind": "build", "posting_id": posting,
                                            "item_id": item_ids[level], "lot_id": out, "location_id": here,
                                            "quantity": Decimal(made), "created_at": book.when})
            for part in parts:
                item, at, _ = stock[part]
                book.move(posting, item, part, at, production, each)
                stock[part][2] -= each
                book.rows["lot_genealogy"].append({"run_id": run_id, "parent_item_id": item_ids[level],
                                                   "parent_lot_id": out, "child_item_id": item,
                                                   "child_lot_id": part, "quantity": Decimal(each)})
            book.move(posting, item_ids[level], out, production, here, made)
            stock[out] = [item_ids[level], here, made]
            if family & set(parts):
                family.add(out)
    for n in range(1, customer_count + 1):
        book.rows["customers"].append({"id": n, "code": f"C-{n:06d}", "name": f"Customer {n}",
                                       "name_key": f"customer {n}", "email": f"c{n}@example.com",
                                       "created_at": START, "updated_at": START})
    shipped_to: set[int] = set()
    every_lot = list(stock)
    order_id = 0
    # Every lot of the family ships at least once; then random lots until the ledger is full.
    queue = sorted(family)
    every_lot = [lot for lot in every_lot if stock[lot][2] > 0]
    while book.move_id < total_moves and every_lot:
        first = bool(queue)  # each lot of the family ships once first
        lot = queue.pop() if queue else rng.choice(every_lot)
        item, here, left = stock[lot]
        if left <= 0:
            continue
        if first or rng.random() < SHIPMENT_SHARE:
            qty = min(left, rng.randint(1, 3))
            posting = book.posting("shipment")
            book.move(posting, item, lot, here, customer, qty)
            order_id += 1
            who = rng.randint(1, customer_count)
            book.rows["sales_orders"].append({
                "id": order_id, "reference": f"SO-{order_id}", "channel": "manual", "customer": f"Customer {who}",
                "customer_id": who, "currency": "USD", "exchange_rate": Decimal(1),
                "requested_ship_date": book.when.date(), "status": "shipped", "created_at": book.when,
                "updated_at": book.when})
            book.rows["sales_order_lines"].append({"id": order_id, "order_id": order_id, "line_no": 1,
                                                   "item_id": item, "quantity": Decimal(qty),
                                                   "unit_price": Decimal(10)})
            book.rows["shipments"].append({"id": order_id, "order_id": order_id, "posting_id": posting,
                                           "created_at": book.when})
            book.rows["shipment_lines"].append({"shipment_id": order_id, "order_line_id": order_id,
                                                "location_id": here, "lot_id": lot, "quantity": Decimal(qty)})
            if lot in family:
                shipped_to.add(who)
            stock[lot][2] -= qty
            if stock[lot][2] == 0 and lot in every_lot:
                every_lot.remove(lot)
        else:  # the lot's stock moves on, whole, to another warehouse
            there = rng.choice([w for w in whs if w != here])
            book.move(book.posting("relocation"), item, lot, here, there, left)
            stock[lot][1] = there
    for (item, place, lot), qty in book.balance.items():
        if qty:
            book.rows["balances"].append({"item_id": item, "location_id": place, "lot_key": lot,
                                          "on_hand": Decimal(qty), "reserved": Decimal(0)})
    return book, target, shipped_to


TABLES = (("items", items), ("lots", lots), ("customers", customers), ("postings", postings), ("moves", moves),
          ("build_runs", build_runs), ("lot_genealogy", lot_genealogy), ("sales_orders", sales_orders),
          ("sales_order_lines", sales_order_lines), ("shipments", shipments), ("shipment_lines", shipment_lines),
          ("balances", balances))


def load(onhand, book: Ledger) -> None:
    bulk_load(onhand, TABLES, book.rows, CHUNK)


def raw_query_ms(onhand, lot: int) -> tuple[float, int]:
    """One raw SQL statement reading the same rows, on the DBAPI connection (median ms, rows)."""
    timings, count = [], 0
    with onhand.reading() as uow:
        raw = uow.connection.connection.dbapi_connection
        sql = RAW_SQL.format(lot=int(lot))
        for _ in range(REPEATS):
            cursor = raw.cursor()
            started = time.perf_counter()
            cursor.execute(sql)
            count = len(cursor.fetchall())
            timings.append((time.perf_counter() - started) * 1000)
            cursor.close()
    return statistics.median(timings), count


def run(url: str, description: str, total_moves: int, customer_count: int, raw_lots: int, seed: int) -> bool:
    onhand = open_onhand(url, clock=lambda: datetime(2026, 6, 1, tzinfo=UTC))
    try:
        say(f"database: {description}")
        started = time.perf_counter()
        book, target, shipped_to = generate(onhand, random.Random(seed), total_moves, customer_count, raw_lots)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        load(onhand, book)
        say(f"setup: {book.move_id} moves, {len(book.rows['lots'])} lots, {len(book.rows['build_runs'])} builds "
            f"(3 levels), {len(book.rows['shipments'])} shipments to {customer_count} customers: generated in "
            f"{generated:.1f} s, bulk-inserted in {time.perf_counter() - started:.1f} s")
        code = f"RAW-{target}"
        report = services.traces.recall_report(onhand, lots=[LotRef("RAW", code)])  # warm-up
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            report = services.traces.recall_report(onhand, lots=[LotRef("RAW", code)])
            timings.append((time.perf_counter() - started) * 1000)
        took = statistics.median(timings)
        raw_ms, raw_rows = raw_query_ms(onhand, target)
        family = len(report.trace.lots)
        say(f"R1 recall report of {code}: {family} lots over 3 build levels, {len(report.trace.deliveries)} "
            f"shipments, {len({c.customer_code for c in report.customers})} customers, {len(report.trace.stock)} "
            f"places holding some: median {took:.1f} ms (p90 {sorted(timings)[int(0.9 * REPEATS) - 1]:.1f} ms) "
            f"over {REPEATS} calls; one raw SQL query reading the same rows ({raw_rows}): {raw_ms:.1f} ms "
            f"(ratio {took / raw_ms if raw_ms else float('inf'):.1f})")
        verdict = "met" if took <= TARGET_MS else "NOT MET"
        say(f"target R1 (recall report of one lot in a ledger of 1,000,000 moves under {TARGET_MS:.0f} ms): "
            f"{verdict} at {book.move_id} moves")
        (account,) = report.trace.accounts
        inside = (account.inside_products_with_customers + account.inside_products_on_hand
                  + account.inside_products_in_transit + account.inside_products_scrapped)
        balanced = account.received == account.with_customers + account.on_hand + account.in_transit + account.consumed
        followed = abs(inside - account.consumed) <= Decimal("0.0001")
        found = {int(c.customer_code.split("-")[1]) for c in report.customers if c.customer_code}
        exact = found == shipped_to
        say(f"R1 checks: every unit accounted for {'ok' if balanced else 'FAILED'}, builds followed into the "
            f"products {'ok' if followed else 'FAILED'}, customers exactly those shipped to "
            f"{'ok' if exact else 'FAILED'}")
        return balanced and followed and exact
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(parser)
    args = parser.parse_args(argv)
    check_scale(parser, args)
    total = max(2_000, round(MOVES * args.scale))
    customer_count = max(20, round(CUSTOMERS * args.scale))
    raw_lots = max(40, round(RAW_LOTS * args.scale))
    return run_on_each_database(
        args, "recall benchmark",
        lambda url, description: run(url, description, total, customer_count, raw_lots, args.seed),
    )


if __name__ == "__main__":
    sys.exit(main())
