"""Valuation through the database: a backdated receipt into a long history, and the report.

Run by `python -m benchmarks.valuation` after the pure-engine figures:

D1  one item at one location (the worst case: nothing can be skipped) with 100,000 moves
    (receipts and shipments, one a minute) set up in bulk below the services, exactly as
    the services would have stored them (values from the engine, checkpoints every
    `CHECKPOINT_EVERY` moves, the current layers, balances); then one receipt through
    `services.receiving.receive_purchase_order` effective before all of them. Checked:
    every stored move value and the pools equal a full re-run of the item's history.
D2  `services.valuation_reports.valuation_report` for 10,000 items at two locations (received
    through purchase orders, untimed), best of 3, against the 2 s target on SQLite;
    checked: the report's total equals the layers' values; and the report at a past
    moment (before the last receipts) once, for the figure.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert

from benchmarks.cli import say
from onhand import services
from onhand.adapters.db.tables import balances, moves, postings
from onhand.adapters.db.tables.valuation import cost_checkpoints, move_values, valuation_heads
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.purchasing.commands import (
    CreatePurchaseOrder,
    CreateSupplier,
    PurchaseOrderAction,
    ReceivePurchaseOrder,
)
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.value_history import CostMove, value_history
from onhand.services.purchasing.purchase_orders import NewPurchaseLine
from onhand.services.purchasing.receiving import ReceiptLine
from onhand.services.valuation.backdating import stored_cost_move
from onhand.services.valuation.posting_values import CHECKPOINT_EVERY

REPORT_TARGET_S = 2.0
LONG_HISTORY = 100_000
REPORT_ITEMS = 10_000
PO_LINES = 1_000


def _bulk_history(onhand: Onhand, rng: random.Random, count: int) -> None:
    """`count` receipts and shipments of item LONG at NY, one a minute, ending an hour ago."""
    from onhand.adapters.db.repositories.cost_checkpoints import encode_pools

    clock_now = onhand.now()
    start = clock_now - timedelta(minutes=count + 60)
    with onhand.writing() as uow:
        item = uow.items.get_by_sku("LONG")
        ny = next(loc for loc in uow.locations.all() if loc.code == "NY")
        supplier = uow.locations.virtual(LocationKind.SUPPLIER)
        customer = uow.locations.virtual(LocationKind.CUSTOMER)
    on_hand = 0
    cost_moves: list[CostMove] = []
    for index in range(count):
        at = start + timedelta(minutes=index)
        if on_hand == 0 or rng.random() < 0.5:
            quantity = rng.randint(5, 50)
            cost_moves.append(CostMove(index + 1, at, MoveRole.RECEIPT, Decimal(quantity), destination=ny.id,
                                       unit_cost=Decimal(rng.randint(100, 999)) / 100))
            on_hand += quantity
        else:
            quantity = rng.randint(1, on_hand)
            cost_moves.append(CostMove(index + 1, at, MoveRole.SHIPMENT, Decimal(quantity), source=ny.id))
            on_hand -= quantity
    run = value_history(CostingMethod.FIFO, cost_moves, checkpoint_every=CHECKPOINT_EVERY)
    received = sum((m.quantity for m in cost_moves if m.role is MoveRole.RECEIPT), Decimal(0))
    shipped = received - on_hand
    with onhand.writing() as uow:
        conn = uow.connection  # bulk setup below the services
        first_posting = int(conn.execute(insert(postings).values(
            kind="opening", created_at=clock_now, effective_at=start)).inserted_primary_key[0])
        first_move = first_posting  # ids follow; the first posting is a marker with no moves
        conn.execute(insert(postings), [
            {"id": first_posting + m.id, "kind": "receipt" if m.role is MoveRole.RECEIPT else "shipment",
             "created_at": clock_now, "effective_at": m.at} for m in cost_moves
        ])
        conn.execute(insert(moves), [
            {"id": first_move + m.id, "posting_id": first_posting + m.id, "item_id": item.id,
             "from_location_id": supplier.id if m.role is MoveRole.RECEIPT else ny.id,
             "to_location_id": ny.id if m.role is MoveRole.RECEIPT else customer.id, "quantity": m.quantity}
            for m in cost_moves
        ])
        conn.execute(insert(move_values), [
            {"move_id": first_move + m.id, "item_id": item.id, "role": m.role.value,
             "value": run.values[m.id].value, "variance": run.values[m.id].variance,
             "basis": run.values[m.id].basis.value,
             "unit_cost": None if m.unit_cost is None else str(m.unit_cost), "given_value": None}
            for m in cost_moves
        ])
        conn.execute(insert(balances), [
            {"item_id": item.id, "location_id": ny.id, "lot_key": 0, "on_hand": on_hand, "reserved": 0},
            {"item_id": item.id, "location_id": supplier.id, "lot_key": 0, "on_hand": -received, "reserved": 0},
            {"item_id": item.id, "location_id": customer.id, "lot_key": 0, "on_hand": shipped, "reserved": 0},
        ])

        def shifted(pools: dict) -> dict:
            return {key: type(pool)(tuple(type(layer)(layer.opened_at, layer.origin + first_move, layer.quantity,
                                                      layer.value) for layer in pool.layers),
                                    pool.deficit_quantity, pool.deficit_value, pool.last_unit_cost)
                    for key, pool in pools.items()}

        conn.execute(insert(cost_checkpoints), [
            {"item_id": item.id, "effective_at": c.position[0], "move_id": c.position[1] + first_move,
             "state": encode_pools(shifted(dict(c.pools)))}
            for c in run.checkpoints if c.position is not None
        ])
        final = shifted(dict(run.final.pools))
        uow.valuation.save_pools({(item.id, loc, lot or 0): pool for (loc, lot), pool in final.items()})
        last = cost_moves[-1]
        conn.execute(insert(valuation_heads).values(
            item_id=item.id, effective_at=last.at, move_id=last.id + first_move,
            since_checkpoint=count % CHECKPOINT_EVERY))


def matches_a_full_rerun(onhand: Onhand, sku: str) -> bool:
    """Whether an item's stored move values and pools equal a from-scratch FIFO run."""
    with onhand.reading() as uow:
        item = uow.items.get_by_sku(sku)
        rows = uow.valuation_history.item_moves_after(item.id, None)
        run = value_history(CostingMethod.FIFO, [stored_cost_move(r) for r in rows])
        pools = {(loc, lot or None): pool for (it, loc, lot), pool in uow.valuation.pools([item.id]).items()
                 if it == item.id}
    values_ok = all((r.value, r.variance) == (run.values[int(r.id)].value, run.values[int(r.id)].variance)
                    for r in rows)
    return values_ok and pools == dict(run.final.pools)


def backdated_phase(onhand: Onhand, rng: random.Random, scale: float) -> bool:
    count = max(200, round(LONG_HISTORY * scale))
    services.items.create_item(onhand, CreateItem(sku="LONG", name="Long history"))
    start = time.perf_counter()
    _bulk_history(onhand, rng, count)
    say(f"D1 setup (untimed, bulk): LONG with {count} moves at NY, checkpoints every {CHECKPOINT_EVERY} "
        f"({time.perf_counter() - start:.1f} s)")
    order = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="NY", lines=[NewPurchaseLine("LONG", 40, "1.23")]))
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
    effective = onhand.now() - timedelta(minutes=count + 59, seconds=30)  # before every move of the history
    start = time.perf_counter()
    receipt = services.receiving.receive_purchase_order(
        onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(1, 40)], effective_at=effective))
    seconds = time.perf_counter() - start
    changed = services.valuation_reports.move_values(onhand, receipt.posting_id).total_value
    ok = matches_a_full_rerun(onhand, "LONG")
    say(f"D1 backdated receipt before {count} later moves of one item (FIFO, one location), through the "
        f"service on the database: {seconds:.2f} s (received value {changed}); "
        f"values and pools == full re-run: {'ok' if ok else 'FAILED'}")
    return ok


def report_phase(onhand: Onhand, rng: random.Random, scale: float, backend: str) -> bool:
    count = max(20, round(REPORT_ITEMS * scale))
    skus = [f"V-{n:05d}" for n in range(1, count + 1)]
    rows = "\n".join(f"{sku},{sku},each,none,," for sku in skus)
    services.imports.import_items(onhand, f"sku,name,unit,tracking,gtin,shelf_life_days\n{rows}\n")
    for place in ("NY", "LA"):
        for first in range(0, count, PO_LINES):
            lines = [NewPurchaseLine(sku, rng.randint(1, 50), Decimal(rng.randint(100, 9999)) / 100)
                     for sku in skus[first:first + PO_LINES]]
            order = services.purchase_orders.create_purchase_order(
                onhand, CreatePurchaseOrder(supplier="ACME", destination=place, lines=lines))
            services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(order.reference))
            services.receiving.receive_purchase_order(
                onhand, ReceivePurchaseOrder(order.reference, lines=[ReceiptLine(n + 1, line.quantity) for n,
                    line in enumerate(lines)]))
        if place == "NY":
            middle = onhand.now()
            time.sleep(0.01)
    say(f"D2 setup (untimed): {count} items received at NY and LA through purchase orders")
    timings, report = [], None
    for _ in range(3):
        start = time.perf_counter()
        report = services.valuation_reports.valuation_report(onhand, group_by="location")
        timings.append(time.perf_counter() - start)
    assert report is not None
    best = min(timings)
    with onhand.reading() as uow:
        layers = sum((pool.value for pool in uow.valuation.pools().values()), Decimal(0))
    ok = report.total_value == layers
    start = time.perf_counter()
    past = services.valuation_reports.valuation_report(onhand, at=middle, group_by="location")
    past_seconds = time.perf_counter() - start
    ok = ok and past.total_quantity < report.total_quantity
    met = best < REPORT_TARGET_S
    judged = "met" if met else "NOT MET"
    say(f"D2 valuation report now, {count} items × 2 locations ({len(report.lines)} lines): best of 3 {best:.3f} s; "
        f"at a past moment (checkpoints + replay): {past_seconds:.3f} s; total == layers: {'ok' if ok else 'FAILED'}")
    if backend == "sqlite":
        say(f"target D2 (valuation report for 10,000 items under {REPORT_TARGET_S:g} s on SQLite): "
            f"{judged if count >= REPORT_ITEMS else 'not judged (scale < 1)'} ({best:.3f} s)")
    return ok


def run(url: str, description: str, *, scale: float, seed: int) -> bool:
    say(f"database: {description}")
    onhand = open_onhand(url)
    try:
        services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
        services.locations.create_location(onhand, CreateLocation(code="LA", name="Los Angeles", kind="warehouse"))
        services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme"))
        rng = random.Random(seed)
        ok = backdated_phase(onhand, rng, scale)
        ok = report_phase(onhand, rng, scale, onhand.engine.dialect.name) and ok
        return ok
    finally:
        onhand.close()
