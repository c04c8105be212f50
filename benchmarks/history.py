"""A long history bulk-inserted under a catalog the services made: the scale benchmark's fill.

Moves of one line per posting, drawn from a seeded generator: receipts (stock found, from the
adjustment location, a new lot for a lot-tracked item), relocations of part of a balance to
another warehouse, shipments of part of a balance to the customer. Balances are folded as the
moves are made (every side, virtual places too, as the services keep them), so the books
prove out. Rows go in chunks inside one transaction; the generator never holds more than a
chunk of moves, only the balances and the lots.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from benchmarks.phases import Catalog
from onhand.adapters.db.tables import balances, lots, moves, postings
from onhand.bootstrap import Onhand

CHUNK = 10_000
RECEIPT_SHARE = 0.3
SHIPMENT_SHARE = 0.3
# Stock on hand stays about the same however long the history: past this many balances
# holding stock per item, shipments and relocations take whole balances. So a longer ledger
# is more history (moves, postings, lots, empty balances), not more stock to read.
OPEN_PER_ITEM = 5


def fill(onhand: Onhand, catalog: Catalog, rng: random.Random, count: int, *, today: date) -> int:
    """Insert `count` moves (and their postings, lots and balances) before `today`; the
    number of balances written."""
    with onhand.reading() as uow:
        places = {loc.code: loc.id for loc in uow.locations.all()}
        found = uow.items.by_skus(list(catalog.skus))
    item_ids = {sku: found[sku].id for sku in catalog.skus}
    tracked = {sku for sku, days in catalog.shelf_life.items() if days}
    warehouses = [places[code] for code in catalog.locations]
    internal = set(warehouses)
    adjustment, customer = places["ADJUSTMENT"], places["CUSTOMER"]
    book: dict[tuple[int, int, int], int] = defaultdict(int)
    held: list[tuple[int, int, int]] = []  # internal balances that held stock when made
    start = datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=400)
    step = timedelta(days=399) / max(count, 1)
    most_open = OPEN_PER_ITEM * len(catalog.skus)
    open_count = 0
    lot_rows: list[dict] = []
    rows: dict[str, list[dict]] = {"postings": [], "moves": []}
    with onhand.writing() as uow:
        conn = uow.connection
        first_posting = (conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM postings").scalar() or 0) + 1
        first_move = (conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM moves").scalar() or 0) + 1
        next_lot = (conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM lots").scalar() or 0) + 1

        def flush() -> None:
            for name, table in (("postings", postings), ("moves", moves)):
                if rows[name]:
                    conn.execute(insert(table), rows[name])
                    rows[name].clear()

        for n in range(count):
            when = start + step * n
            draw = rng.random()
            whole = open_count >= most_open
            picked = None
            while draw >= RECEIPT_SHARE and held and picked is None:
                slot = rng.randrange(len(held))
                if book[held[slot]] > 0:
                    picked = held[slot]
                else:  # emptied since: forgotten as it comes up
                    held[slot] = held[-1]
                    held.pop()
            if picked is None:
                sku = rng.choice(catalog.skus)
                item, here, lot = item_ids[sku], rng.choice(warehouses), 0
                if sku in tracked:
                    lot = next_lot
                    next_lot += 1
                    lot_rows.append({"id": lot, "item_id": item, "code": f"H{lot:08d}", "status": "released",
                                     "expiry_date": today + timedelta(days=rng.randint(30, 700)),
                                     "created_at": when})
                kind, source, target, qty = "adjustment", adjustment, here, rng.randint(10, 100)
                held.append((item, here, lot))
            else:
                item, here, lot = picked
                left = book[picked]
                if draw < RECEIPT_SHARE + SHIPMENT_SHARE:
                    qty = left if whole else rng.randint(1, max(1, left // 3))
                    kind, source, target = "shipment", here, customer
                else:
                    there = rng.choice([w for w in warehouses if w != here])
                    kind, source, target, qty = "relocation", here, there, left if whole else max(1, left // 2)
                    held.append((item, there, lot))
            for key, change in (((item, source, lot), -qty), ((item, target, lot), qty)):
                if key[1] in internal:
                    before = book[key]
                    open_count += (before + change > 0) - (before > 0)
            book[(item, source, lot)] -= qty
            book[(item, target, lot)] += qty
            posting = first_posting + n
            rows["postings"].append({"id": posting, "kind": kind, "reason": "found" if kind == "adjustment" else None,
                                     "created_at": when, "effective_at": when, "actor": "system"})
            rows["moves"].append({"id": first_move + n, "posting_id": posting, "item_id": item,
                                  "lot_id": lot or None, "from_location_id": source, "to_location_id": target,
                                  "quantity": Decimal(qty)})
            if len(rows["moves"]) >= CHUNK:
                if lot_rows:  # a move names its lot: lots go first
                    conn.execute(insert(lots), lot_rows)
                    lot_rows.clear()
                flush()
        if lot_rows:
            conn.execute(insert(lots), lot_rows)
        flush()
        balance_rows = [{"item_id": item, "location_id": place, "lot_key": lot, "on_hand": Decimal(qty),
                         "reserved": Decimal(0)} for (item, place, lot), qty in book.items()]
        for begin in range(0, len(balance_rows), CHUNK):
            conn.execute(insert(balances), balance_rows[begin:begin + CHUNK])
        if conn.dialect.name == "postgresql":
            for name in ("postings", "moves", "lots"):  # ids were given: the sequences move on past them
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT COALESCE(MAX(id), 1) FROM {name}))")
            for name in ("postings", "moves", "lots", "balances"):
                conn.exec_driver_sql(f"ANALYZE {name}")
        else:
            conn.exec_driver_sql("ANALYZE")
    return len(balance_rows)
