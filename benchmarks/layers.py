"""A posting of a FIFO item as its open cost layers grow: 10, 250 and 8,000 layers.

    python -m benchmarks.layers [--scale 1] [--postgres URL]

Setup (untimed, bulk below the services, exactly as the services store it: values from
the engine, the current layers, balances, the item's valuation head): per item, N
receipts of 5 units at NY, one a minute, each a layer of its own, none taken yet. Then,
timed, pairs of `adjustments.post_adjustment` calls through the service layer, one
request each: −1 (lost: takes from the oldest layer) and +1 at a unit cost (found:
opens a new layer), so the item keeps about N layers throughout. Printed per layer
count: the median and mean of one posting (wall), its CPU time, and the SQL statements
per posting; the raw `sqlite3` loop (`raw_loop.py`) and the load average beside them.
The target (issue 18): 8,000 layers as fast as 10.

Checked afterwards: every move's stored value and the pools equal a full re-run of the
item's history through the engine, and `verify` passes. Exit 1 if a check fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import event, insert, text

from benchmarks import cli
from benchmarks.cli import say
from benchmarks.raw_loop import raw_loop
from benchmarks.valuation_history import matches_a_full_rerun
from onhand import services
from onhand.adapters.db.tables import balances, moves, postings
from onhand.adapters.db.tables.valuation import move_values, valuation_heads
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.catalog.locations import LocationKind
from onhand.domain.ledger.commands import PostAdjustment, StockLine
from onhand.domain.valuation.cost_layers import CostingMethod
from onhand.domain.valuation.move_roles import MoveRole
from onhand.domain.valuation.value_history import CostMove, value_history

LAYER_COUNTS = (10, 250, 8_000)
PAIRS = 100  # at scale 1: 200 postings per layer count


def _bulk_layers(onhand: Onhand, sku: str, count: int) -> None:
    """`count` receipts of 5 units of `sku` at NY, one a minute, ending an hour ago."""
    now = onhand.now()
    start = now - timedelta(minutes=count + 60)
    with onhand.reading() as uow:
        item = uow.items.get_by_sku(sku)
        ny = next(loc for loc in uow.locations.all() if loc.code == "NY")
        supplier = uow.locations.virtual(LocationKind.SUPPLIER)
    cost_moves = [CostMove(n + 1, start + timedelta(minutes=n), MoveRole.RECEIPT, Decimal(5), destination=ny.id,
                           unit_cost=Decimal(100 + n % 900) / 100) for n in range(count)]
    run = value_history(CostingMethod.FIFO, cost_moves)
    with onhand.writing() as uow:
        conn = uow.connection  # bulk setup below the services
        marker = int(conn.execute(insert(postings).values(
            kind="opening", created_at=now, effective_at=start)).inserted_primary_key[0])
        conn.execute(insert(postings), [
            {"id": marker + m.id, "kind": "receipt", "created_at": now, "effective_at": m.at} for m in cost_moves])
        conn.execute(insert(moves), [
            {"id": marker + m.id, "posting_id": marker + m.id, "item_id": item.id, "from_location_id": supplier.id,
             "to_location_id": ny.id, "quantity": m.quantity} for m in cost_moves])
        conn.execute(insert(move_values), [
            {"move_id": marker + m.id, "item_id": item.id, "role": m.role.value, "value": run.values[m.id].value,
             "variance": run.values[m.id].variance, "basis": run.values[m.id].basis.value,
             "unit_cost": str(m.unit_cost), "given_value": None} for m in cost_moves])
        units = Decimal(5 * count)
        conn.execute(insert(balances), [
            {"item_id": item.id, "location_id": ny.id, "lot_key": 0, "on_hand": units, "reserved": 0},
            {"item_id": item.id, "location_id": supplier.id, "lot_key": 0, "on_hand": -units, "reserved": 0},
        ])
        pools = {(item.id, loc, lot or 0): type(pool)(
            tuple(type(layer)(layer.opened_at, layer.origin + marker, layer.quantity, layer.value)
                  for layer in pool.layers), pool.deficit_quantity, pool.deficit_value, pool.last_unit_cost)
            for (loc, lot), pool in run.final.pools.items()}
        uow.valuation.save_pools(pools)
        if conn.dialect.name == "postgresql":  # ids were given: the sequences go past them
            for table in ("postings", "moves"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        last = cost_moves[-1]
        conn.execute(insert(valuation_heads).values(item_id=item.id, effective_at=last.at,
                                                    move_id=last.id + marker, since_checkpoint=0))


def run(url: str, description: str, *, scale: float, seed: int) -> bool:
    say(f"database: {description}")
    onhand = open_onhand(url)
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    try:
        services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
        pairs = max(5, round(PAIRS * scale))
        ok = True
        for layers in LAYER_COUNTS:
            sku = f"FIFO-{layers}"
            services.items.create_item(onhand, CreateItem(sku=sku, name=f"{layers} layers"))
            _bulk_layers(onhand, sku, layers)
            lost = PostAdjustment(location="NY", lines=[StockLine(sku, Decimal(-1))], reason="lost")
            found = PostAdjustment(location="NY", lines=[StockLine(sku, Decimal(1), unit_cost=Decimal("4.25"))],
                                   reason="found")
            services.adjustments.post_adjustment(onhand, lost)  # warm: caches, statements compiled
            services.adjustments.post_adjustment(onhand, found)
            timings: list[float] = []
            event.listen(onhand.engine, "before_cursor_execute", count)
            statements[0] = 0
            cpu = time.process_time()
            for _ in range(pairs):
                for command in (lost, found):
                    start = time.perf_counter()
                    services.adjustments.post_adjustment(onhand, command)
                    timings.append(time.perf_counter() - start)
            cpu = time.process_time() - cpu
            event.remove(onhand.engine, "before_cursor_execute", count)
            done = len(timings)
            good = matches_a_full_rerun(onhand, sku)
            ok = ok and good
            say(f"L{layers} FIFO item with {layers} open layers: {done} postings (−1 / +1 in turn), one per call: "
                f"median {statistics.median(timings) * 1e3:.2f} ms, mean {statistics.mean(timings) * 1e3:.2f} ms, "
                f"CPU {cpu / done * 1e3:.2f} ms per posting, {statements[0] / done:.1f} statements per posting; "
                f"values and pools == full re-run: {'ok' if good else 'FAILED'}")
        report = services.integrity.verify(onhand)
        ok = ok and report.ok
        say(f"verify: {'ok' if report.ok else 'FAILED'}")
        return ok
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.layers", description=__doc__.splitlines()[0])
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    say(raw_loop(max(1000, round(20_000 * args.scale))).line())
    return cli.run_on_each_database(args, "Onhand cost-layer benchmark", lambda url, description: run(
        url, description, scale=args.scale, seed=args.seed))


if __name__ == "__main__":
    sys.exit(main())
