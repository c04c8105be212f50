"""R16: clients racing to reserve a shared, partly scarce stock, all at once (PostgreSQL).

Each client is a thread with its own connection from the one `Onhand`'s pool (20 + 10),
as 16 API workers would be. First every client creates its orders (a concurrent phase
of its own); then all start together and allocate theirs, one `orders.allocate_order`
call per order (the figure). Half the orders ask for one of a few scarce SKUs that
hold about 60 % of the units asked for, at two sites, in lots that FEFO makes everyone
want first: the clients really race for the same balances. The other half ask for
plentiful SKUs. Whether nobody got more than there was is checked in `race_checks`.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from benchmarks.order_catalog import create_items, stock_up
from benchmarks.order_counts import OrderCounts
from benchmarks.order_flow import PlannedOrder, create, plan_order
from benchmarks.timing import PhaseResult
from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.orders.commands import OrderAction

CHANNEL = "bench-race"
SCARCE_SHARE = 0.5  # of the orders
SCARCE_SUPPLY = 0.6  # of the units asked for
PLENTIFUL_SUPPLY = 1.5
SCARCE_SITES = 2

T = TypeVar("T")


@dataclass(frozen=True)
class Race:
    channel: str  # the race's orders are on it
    clients: tuple[tuple[PlannedOrder, ...], ...]  # each client's orders
    scarce: tuple[str, ...]
    supply: dict[str, int]  # units received per SKU
    asked: Counter[str]  # units ordered per SKU


@dataclass
class Tally:
    """What one client saw: reserved units per SKU as the services granted them."""

    granted: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)  # full, partial, none
    errors: list[str] = field(default_factory=list)


def prepare(
    onhand: Onhand, rng: random.Random, counts: OrderCounts, sites: Sequence[str], *, name: str = "R16"
) -> Race:
    """Create the race's items, plan every client's orders, receive the stock (untimed).

    `name` keeps races apart: their items, order references and channel."""
    tracked = create_items(onhand, f"RACE{name}", counts.race_items, lot_tracked_every=1)
    skus = tuple(tracked)
    scarce, plentiful = skus[: counts.scarce_items], skus[counts.scarce_items :]
    clients = tuple(
        tuple(
            plan_order(rng, f"{name}-{c:02d}-{n:05d}", scarce if rng.random() < SCARCE_SHARE else plentiful, 1)
            for n in range(1, counts.orders_per_client + 1)
        )
        for c in range(1, counts.clients + 1)
    )
    asked: Counter[str] = Counter()
    for orders in clients:
        for order in orders:
            asked[order.lines[0].sku] += int(order.lines[0].quantity)
    supply = {sku: max(1, math.floor(asked[sku] * SCARCE_SUPPLY)) for sku in scarce}
    stock_up(onhand, rng, supply=supply, tracked=tracked, sites=sites[:SCARCE_SITES], tag=f"{name}S")
    plenty = {sku: math.ceil(asked[sku] * PLENTIFUL_SUPPLY) + 1 for sku in plentiful}
    stock_up(onhand, rng, supply=plenty, tracked=tracked, sites=sites, tag=f"{name}P")
    return Race(f"{CHANNEL}-{name.lower()}", clients, scarce, supply | plenty, asked)


def create_concurrently(onhand: Onhand, race: Race) -> tuple[PhaseResult, list[str]]:
    """Every client creates its orders, all at once; returns the figure and any errors."""

    def client(orders: Sequence[PlannedOrder]) -> list[str]:
        errors = []
        for order in orders:
            try:
                create(onhand, order, channel=race.channel)
            except Exception as exc:  # reported and failing the run, not hiding anything
                errors.append(f"create {order.reference}: {type(exc).__name__}: {exc}")
        return errors

    seconds, results = concurrently(client, race.clients)
    count = sum(len(orders) for orders in race.clients)
    title = f"concurrent order creation ({len(race.clients)} clients)"
    return PhaseResult("R16", title, count, seconds), [e for errors in results for e in errors]


def allocate_concurrently(onhand: Onhand, race: Race) -> tuple[PhaseResult, list[Tally]]:
    """Every client allocates its orders, all starting together."""

    def client(orders: Sequence[PlannedOrder]) -> Tally:
        tally = Tally()
        for order in orders:
            start = time.perf_counter()
            try:
                view = services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
            except Exception as exc:  # reported and failing the run, not hiding anything
                tally.errors.append(f"allocate {order.reference}: {type(exc).__name__}: {exc}")
                continue
            tally.latencies.append(time.perf_counter() - start)
            line = view.lines[0]
            tally.granted[line.sku] += int(line.reserved)
            tally.outcomes["full" if line.reserved == line.quantity else "partial" if line.reserved else "none"] += 1
        return tally

    seconds, tallies = concurrently(client, race.clients)
    count = sum(len(orders) for orders in race.clients)
    title = f"concurrent reservations ({len(race.clients)} clients)"
    return PhaseResult("R16", title, count, seconds), tallies


def allocate_in_batches_concurrently(onhand: Onhand, race: Race, batch: int) -> tuple[PhaseResult, list[Tally]]:
    """Every client allocates its orders `batch` at a time (`waves.allocate_orders`), all
    starting together; latencies are per batch."""

    def client(orders: Sequence[PlannedOrder]) -> Tally:
        tally = Tally()
        for start in range(0, len(orders), batch):
            chunk = orders[start:start + batch]
            began = time.perf_counter()
            try:
                result = services.waves.allocate_orders(onhand, [order.reference for order in chunk])
            except Exception as exc:  # reported and failing the run, not hiding anything
                tally.errors.append(f"allocate {chunk[0].reference}…: {type(exc).__name__}: {exc}")
                continue
            tally.latencies.append(time.perf_counter() - began)
            by_reference = {done.reference: done for done in result.orders}
            for order in chunk:
                done = by_reference[order.reference]
                got = sum(int(quantity) for _sku, quantity in done.reserved)
                for sku, quantity in done.reserved:
                    tally.granted[sku] += int(quantity)
                asked = int(order.lines[0].quantity)
                tally.outcomes["full" if got == asked else "partial" if got else "none"] += 1
        return tally

    seconds, tallies = concurrently(client, race.clients)
    count = sum(len(orders) for orders in race.clients)
    title = f"concurrent reservations ({len(race.clients)} clients, batches of {batch})"
    return PhaseResult("R16", title, count, seconds), tallies


def concurrently(
    work: Callable[[Sequence[PlannedOrder]], T], clients: Sequence[Sequence[PlannedOrder]]
) -> tuple[float, list[T]]:
    """Run `work` once per client, each in its own thread, all released at once.

    Returns the wall-clock time from the first start to the last finish, and each
    client's result in client order.
    """
    gate = threading.Barrier(len(clients))
    starts = [0.0] * len(clients)
    ends = [0.0] * len(clients)
    results: list[T | None] = [None] * len(clients)

    def run(index: int) -> None:
        gate.wait()
        starts[index] = time.perf_counter()
        try:
            results[index] = work(clients[index])
        finally:
            ends[index] = time.perf_counter()

    threads = [threading.Thread(target=run, args=(n,), name=f"client-{n + 1}") for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(result is None for result in results):
        raise RuntimeError("a client thread died; see its traceback above")
    return max(ends) - min(starts), [result for result in results if result is not None]
