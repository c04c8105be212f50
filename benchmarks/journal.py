"""Benchmark of the daily summary journal made from the database, through the services.

    python -m benchmarks.journal [--scale 1] [--database-url URL] [--postgres URL] [--seed N]

J2  one business day with 100,000 valued moves (receipts, shipments of sales orders with
    their shipment lines, transfers between ten stores, losses) over 200 items in 10
    categories, locations tracked: the time to make the day's journal through
    `services.journals.get_journal` (SQL aggregation), and of one
    `services.journals.export_journals` call per format (each makes the journal from
    the database again and exports it: Xero JSON, Xero CSV, QuickBooks JSON, plain CSV),
    the slowest against the 2 s target on SQLite; then the time to post (freeze) the
    day and to reconcile it.

The rows are bulk-inserted for setup (not timed). Checks: the journal balances; its
inventory lines equal the valuation total of the day to the cent rounding; exports of
the posted day regenerate byte-identically; the reconciliation has no difference.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from benchmarks.cli import add_run_options, check_scale, run_on_each_database, say
from onhand import services
from onhand.adapters.db.tables import (
    items,
    moves,
    postings,
    sales_order_lines,
    sales_orders,
    shipment_lines,
    shipments,
)
from onhand.adapters.db.tables.valuation import move_values
from onhand.bootstrap import open_onhand
from onhand.domain.accounting.commands import PostJournal, UpdateAccountingSettings
from onhand.domain.catalog.commands import CreateLocation

MOVES = 100_000  # at scale 1
TARGET_SECONDS = 2.0
DAY = date(2026, 3, 2)
START = datetime(2026, 3, 2, tzinfo=UTC)
STORES = 10
ITEMS = 200
CHUNK = 5_000
FORMATS = ("xero-json", "xero-csv", "qbo-json", "csv")


def _ids(onhand) -> dict[str, int]:
    with onhand.reading() as uow:
        return {loc.code: loc.id for loc in uow.locations.all()}


def build_day(onhand, rng: random.Random, count: int) -> None:
    """`count` valued moves on DAY, inserted in bulk (setup, not timed)."""
    for n in range(STORES):
        services.locations.create_location(onhand, CreateLocation(code=f"S{n}", name=f"Store {n}", kind="warehouse"))
    places = _ids(onhand)
    stores = [places[f"S{n}"] for n in range(STORES)]
    supplier, customer, adjustment = places["SUPPLIER"], places["CUSTOMER"], places["ADJUSTMENT"]
    with onhand.writing() as uow:
        conn = uow.connection
        conn.execute(insert(items), [
            {"id": i, "sku": f"SKU-{i}", "name": f"Item {i}", "unit_code": "each", "tracking": "none",
             "kind": "stocked", "created_at": START, "category": f"cat-{i % 10}"}
            for i in range(1, ITEMS + 1)
        ])
        posting_rows, move_rows, value_rows = [], [], []
        order_rows, line_rows, shipment_rows, shipped_rows = [], [], [], []
        for n in range(1, count + 1):
            when = START + timedelta(seconds=n * 86_000 / count)
            item = rng.randint(1, ITEMS)
            here = rng.choice(stores)
            draw = rng.random()
            qty = Decimal(rng.randint(1, 20))
            value = qty * Decimal(rng.randint(100, 9_999)) / 100
            if draw < 0.3:
                kind, source, target, role = "receipt", supplier, here, "receipt"
            elif draw < 0.8:
                kind, source, target, role = "shipment", here, customer, "shipment"
                order_rows.append({"id": n, "reference": f"SO-{n}", "channel": "manual", "currency": "USD",
                                   "exchange_rate": Decimal(1),
                                   "requested_ship_date": DAY, "status": "shipped", "created_at": when,
                                   "updated_at": when})
                line_rows.append({"id": n, "order_id": n, "line_no": 1, "item_id": item, "quantity": qty,
                                  "unit_price": Decimal(rng.randint(1_000, 19_999)) / 100, "location_id": here})
                shipment_rows.append({"id": n, "order_id": n, "posting_id": n, "created_at": when})
                shipped_rows.append({"shipment_id": n, "order_line_id": n, "location_id": here, "quantity": qty})
            elif draw < 0.9:
                other = rng.choice([s for s in stores if s != here])
                kind, source, target, role = "transfer", here, other, "transfer"
            else:
                kind, source, target, role = "adjustment", here, adjustment, "adjustment_out"
            posting_rows.append({"id": n, "kind": kind, "created_at": when, "effective_at": when})
            move_rows.append({"id": n, "posting_id": n, "item_id": item, "from_location_id": source,
                              "to_location_id": target, "quantity": qty})
            value_rows.append({"move_id": n, "item_id": item, "role": role, "value": value,
                               "variance": Decimal(0), "basis": "layers"})
        for table, rows in ((postings, posting_rows), (moves, move_rows), (move_values, value_rows),
                            (sales_orders, order_rows), (sales_order_lines, line_rows),
                            (shipments, shipment_rows), (shipment_lines, shipped_rows)):
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(table), rows[start:start + CHUNK])


def run(url: str, description: str, count: int, seed: int) -> bool:
    clock = [datetime(2026, 3, 3, 9, tzinfo=UTC)]
    onhand = open_onhand(url, clock=lambda: clock[0])
    try:
        say(f"database: {description}")
        started = time.perf_counter()
        build_day(onhand, random.Random(seed), count)
        say(f"setup: {count} valued moves on {DAY} bulk-inserted in {time.perf_counter() - started:.1f} s")
        services.accounting_settings.update_accounting_settings(onhand, UpdateAccountingSettings(track_locations=True))

        started = time.perf_counter()
        view = services.journals.get_journal(onhand, DAY)
        made = time.perf_counter() - started
        timings, sizes = {}, {}
        for fmt in FORMATS:  # each call makes the journal from the database again, then exports it
            started = time.perf_counter()
            sizes[fmt] = len(services.journals.export_journals(onhand, DAY, format=fmt).content)
            timings[fmt] = time.perf_counter() - started
        journal = view.journal
        slowest = max(timings.values())
        say(f"J2 journal of {count} moves: {len(journal.lines)} lines in {made * 1000:.0f} ms; "
            f"debits {journal.debits} = credits {journal.credits}")
        say("J2 journal + export, one service call each: "
            + ", ".join(f"{f} {timings[f] * 1000:.0f} ms ({sizes[f]} bytes)" for f in FORMATS))
        verdict = "met" if slowest <= TARGET_SECONDS else "NOT MET"
        say(f"target J2 (the journal of a day of 100,000 moves made and exported under {TARGET_SECONDS:.0f} s "
            f"on SQLite): {verdict} (slowest {slowest:.2f} s)")

        started = time.perf_counter()
        services.journals.post_journal(onhand, PostJournal(day=DAY))
        posted = time.perf_counter() - started
        again = {fmt: services.journals.export_journals(onhand, DAY, format=fmt).content for fmt in FORMATS}
        identical = all(services.journals.export_journals(onhand, DAY, format=f).content == again[f] for f in FORMATS)
        started = time.perf_counter()
        report = services.reconciliation.reconcile(onhand, start=DAY)
        reconciled = time.perf_counter() - started
        (day,) = report.days
        say(f"J2 post (freeze) the day in {posted * 1000:.0f} ms; reconcile in {reconciled * 1000:.0f} ms: "
            f"valuation {day.valuation_total} vs journals {day.journal_balance} (rounding {day.rounding}), "
            f"difference {day.difference}")
        balanced = journal.debits == journal.credits
        ok = balanced and identical and report.reconciled
        say(f"J2 checks: balanced {'ok' if balanced else 'FAILED'}, exports regenerated byte-identical "
            f"{'ok' if identical else 'FAILED'}, reconciled {'ok' if report.reconciled else 'FAILED'}")
        return ok
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(parser)
    args = parser.parse_args(argv)
    check_scale(parser, args)
    count = max(10, round(MOVES * args.scale))
    return run_on_each_database(
        args, "journal benchmark", lambda url, description: run(url, description, count, args.seed)
    )


if __name__ == "__main__":
    sys.exit(main())
