"""One request at a time, beside what the database allows: issue 18's single-request figures.

    python -m benchmarks.single [--scale 1] [--postgres URL]

Setup (untimed): one warehouse, 20 items (every other one lot-tracked, two lots each),
plenty of stock found there. Timed, through the service layer, one call per request:

S1  one order: `create_order` (one line, 1-3 units, from the warehouse), `allocate_order`,
    `ship_order` (3 calls, 3 transactions); 1,000 orders at scale 1;
S2  `post_adjustment` of +1 / −1 in turn of a random item (without lots); 2,000.

Printed per phase: wall and CPU per operation, SQL statements per operation and CPU µs
per statement (all of the process's CPU over the statements a `before_cursor_execute`
listener counted), and the ratio to the raw `sqlite3` loop (`raw_loop.py`: a posting, two
moves, two balance upserts per transaction) per CPU-second — the issue's yardstick
(target for S1: ≥ 0.15). On SQLite, then, the same statements run again by a bare
`sqlite3` connection on a copy of the database as the phase found it (`same_writes.py`):
what the phase's own writes and reads cost without Onhand, and Onhand's ratio to that.
The load average is printed before and after.
Checked afterwards: every order shipped in full, `verify` passes, each bare run left the
copy holding exactly the rows Onhand's run left (so it was the same writes). Exit 1 if not.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event

from benchmarks import cli, same_writes
from benchmarks.cli import say
from benchmarks.raw_loop import RawLoop, raw_loop
from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment, StockLine
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction, ShipOrder

ORDERS = 1_000
ADJUSTMENTS = 2_000
ITEMS = 20
S1_TARGET = 0.15


def _measure(onhand: Onhand, count: int, action: Callable[[int], None], *,
             counting: bool = True) -> tuple[float, float, int]:
    """Wall and CPU seconds of `count` actions, and the statements they ran (when `counting`;
    a recording counts them itself)."""
    statements = [0]

    def counted(*_args: object) -> None:
        statements[0] += 1

    if counting:
        event.listen(onhand.engine, "before_cursor_execute", counted)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        for n in range(count):
            action(n)
    finally:
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        if counting:
            event.remove(onhand.engine, "before_cursor_execute", counted)
    return wall, cpu, statements[0]


def _phase(onhand: Onhand, code: str, title: str, count: int, action: Callable[[int], None], raw: RawLoop,
           target: float | None) -> bool:
    """Run and print one phase; on SQLite record it and print its statements run bare too.
    False if the bare run did not leave the rows Onhand did (then it was not the same writes)."""
    if onhand.engine.dialect.name != "sqlite":
        say(_line(code, title, count, _measure(onhand, count, action), raw, target))
        return True
    database = Path(str(onhand.engine.url.database))
    copy = database.with_name(f"same-writes-{code}.db")
    with same_writes.recording(onhand.engine, copy) as recorded:
        wall, cpu, _uncounted = _measure(onhand, count, action, counting=False)
    say(_line(code, title, count, (wall, cpu, recorded.statements), raw, target))
    bare = same_writes.replay(recorded, database)
    say(_bare_line(code, count, cpu, bare, raw, target))
    for leftover in copy.parent.glob(f"{copy.name}*"):
        leftover.unlink()
    return bare.same_rows


def _bare_line(code: str, count: int, cpu: float, bare: same_writes.Replay, raw: RawLoop,
               target: float | None) -> str:
    ratio = bare.cpu_s / cpu if cpu else 0.0
    text = (f"{code} the same {bare.statements} statements and {bare.transactions} transactions run again by a "
            f"bare sqlite3 connection on a copy: {bare.cpu_s / count * 1e3:.3f} ms CPU each "
            f"({count / bare.cpu_s:,.0f} per CPU-second; their ratio to the raw loop "
            f"{(count / bare.cpu_s) / raw.per_cpu_second:.3f}); Onhand's ratio to the same writes {ratio:.3f}")
    if target is not None:
        text += f" (target ≥ {target} read against the same writes: {'met' if ratio >= target else 'NOT MET'})"
    return text + f"; the copy's rows afterwards: {'the same' if bare.same_rows else 'DIFFERENT'}"


def _line(code: str, title: str, count: int, figures: tuple[float, float, int], raw: RawLoop,
          target: float | None) -> str:
    wall, cpu, statements = figures
    ratio = (count / cpu) / raw.per_cpu_second if cpu else 0.0
    text = (f"{code} {title}: {count} in {wall:.2f} s = {count / wall:,.0f}/s wall, "
            f"{cpu / count * 1e3:.2f} ms CPU each "
            f"({count / cpu:,.0f} per CPU-second); {statements / count:.1f} statements each, "
            f"{cpu / statements * 1e6:.0f} µs CPU per statement; ratio to the raw loop per CPU-second {ratio:.3f}")
    if target is not None:
        text += f" (target ≥ {target}: {'met' if ratio >= target else 'NOT MET'})"
    return text


def run(url: str, description: str, *, scale: float, seed: int, raw: RawLoop) -> bool:
    say(f"database: {description}")
    rng = random.Random(seed)
    onhand = open_onhand(url)
    try:
        services.locations.create_location(onhand, CreateLocation(code="WH", name="Warehouse", kind="warehouse"))
        skus = [f"S-{n:03d}" for n in range(ITEMS)]
        for n, sku in enumerate(skus):
            services.items.create_item(onhand, CreateItem(sku=sku, name=sku, tracking="lot" if n % 2 else "none"))
            lots = ["A", "B"] if n % 2 else [None]
            services.adjustments.post_adjustment(onhand, PostAdjustment(
                location="WH", reason="found",
                lines=[StockLine(sku, Decimal(100_000), lot, unit_cost=Decimal("2.5")) for lot in lots]))
        orders = max(10, round(ORDERS * scale))
        plans = [(rng.choice(skus), Decimal(rng.randint(1, 3))) for _ in range(orders)]
        references: list[str] = []

        def one_order(n: int) -> None:
            sku, quantity = plans[n]
            order = services.sales_orders.create_order(
                onhand, CreateOrder(lines=[NewOrderLine(sku, quantity, location="WH")]))
            services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
            shipped = services.shipping.ship_order(onhand, ShipOrder(order.reference))
            references.append(shipped.reference if shipped.status == "shipped" else "")

        same = _phase(onhand, "S1", "one-line orders created + allocated + shipped, one call each",
                      orders, one_order, raw, S1_TARGET)
        plain = [sku for n, sku in enumerate(skus) if n % 2 == 0]
        adjustments = max(10, round(ADJUSTMENTS * scale))
        picks = [rng.choice(plain) for _ in range(adjustments // 2)]

        def one_adjustment(n: int) -> None:
            services.adjustments.post_adjustment(onhand, PostAdjustment(
                location="WH", reason="found" if n % 2 == 0 else "lost",
                lines=[StockLine(picks[n // 2], Decimal(1 if n % 2 == 0 else -1))]))

        same = _phase(onhand, "S2", "adjustments +1 / −1 in turn", adjustments, one_adjustment, raw, None) and same
        ok = all(references)
        report = services.integrity.verify(onhand)
        say(f"checks: every order shipped {'ok' if ok else 'FAILED'}; verify {'ok' if report.ok else 'FAILED'}; "
            f"the bare runs left Onhand's rows {'ok' if same else 'FAILED'}")
        return ok and report.ok and same
    finally:
        onhand.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.single", description=__doc__.splitlines()[0])
    cli.add_run_options(parser)
    args = parser.parse_args(argv)
    cli.check_scale(parser, args)
    raw = raw_loop(max(2000, round(20_000 * args.scale)))
    say(raw.line())
    code = cli.run_on_each_database(args, "Onhand single-request benchmark", lambda url, description: run(
        url, description, scale=args.scale, seed=args.seed, raw=raw))
    say(raw_loop(max(2000, round(20_000 * args.scale))).line() + " (again, after)")
    return code


if __name__ == "__main__":
    sys.exit(main())
