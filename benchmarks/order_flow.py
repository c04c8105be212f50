"""O1 and O5: sales orders created, then each allocated and shipped, through the services.

Creating the orders is timed on its own. Then each order is allocated
(`orders.allocate_order`: routing, then lots first-expired-first-out) and shipped
(`shipping.ship_order`: everything reserved leaves), two calls and two transactions per
order, timed together for the phase's figure and apart for the breakdown. The stock
covers every order, so each must come back `shipped` in full; the driver checks every
returned order, untimed.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchmarks.order_catalog import REGIONS
from benchmarks.timing import CallClocks, PhaseResult, Stopwatch
from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.orders.views import SalesOrderView, ShipTo

LINE_QUANTITY = (1, 5)
CALLS = ("allocate_order", "ship_order")


@dataclass(frozen=True)
class PlannedOrder:
    reference: str
    lines: tuple[NewOrderLine, ...]
    ship_to: ShipTo


def plan_order(rng: random.Random, reference: str, skus: Sequence[str], lines: int) -> PlannedOrder:
    """`lines` distinct random SKUs, 1-5 units each, to a customer in a random US region."""
    return PlannedOrder(
        reference=reference,
        lines=tuple(NewOrderLine(sku=sku, quantity=rng.randint(*LINE_QUANTITY)) for sku in rng.sample(skus, lines)),
        ship_to=ShipTo(name=f"Customer {reference}", country="US", region=rng.choice(REGIONS)),
    )


def plan_orders(
    rng: random.Random, skus: Sequence[str], count: int, *, lines: int, prefix: str
) -> list[PlannedOrder]:
    return [plan_order(rng, f"{prefix}-{n:06d}", skus, lines) for n in range(1, count + 1)]


def demand(plans: Iterable[PlannedOrder]) -> Counter[str]:
    """Units asked for per SKU."""
    asked: Counter[str] = Counter()
    for plan in plans:
        for line in plan.lines:
            asked[line.sku] += int(line.quantity)
    return asked


def create(onhand: Onhand, plan: PlannedOrder, *, channel: str = "manual") -> SalesOrderView:
    return services.sales_orders.create_order(
        onhand, CreateOrder(lines=plan.lines, reference=plan.reference, channel=channel, ship_to=plan.ship_to),
    )


def create_orders(onhand: Onhand, plans: Sequence[PlannedOrder], code: str, title: str) -> PhaseResult:
    clock = Stopwatch()
    with clock.running():
        for plan in plans:
            create(onhand, plan)
    return PhaseResult(code, f"{title} created", len(plans), clock.seconds)


def fulfil_orders(
    onhand: Onhand, plans: Sequence[PlannedOrder], code: str, title: str
) -> tuple[PhaseResult, CallClocks, list[str]]:
    """Allocate and ship each order; returns the figure, time per call, and every shortfall."""
    clocks = CallClocks(*CALLS)
    problems: list[str] = []
    for plan in plans:
        with clocks.running("allocate_order"):
            allocated = services.sales_orders.allocate_order(onhand, OrderAction(plan.reference))
        with clocks.running("ship_order"):
            shipped = services.shipping.ship_order(onhand, ShipOrder(plan.reference))
        problems += _shortfalls(plan, allocated, shipped)
    return PhaseResult(code, f"{title} allocated+shipped", len(plans), clocks.seconds), clocks, problems


def fulfil_in_waves(
    onhand: Onhand, plans: Sequence[PlannedOrder], code: str, title: str, *, wave_size: int
) -> tuple[PhaseResult, float, list[str]]:
    """The same orders fulfilled by `waves.fulfil_orders`, `wave_size` at a time (oldest
    first); returns the figure, this process's CPU seconds, and every shortfall."""
    clock = Stopwatch()
    cpu = time.process_time()
    shipped: set[str] = set()
    with clock.running():
        for start in range(0, len(plans), wave_size):
            wave = services.waves.fulfil_orders(onhand, [plan.reference for plan in plans[start:start + wave_size]])
            shipped.update(wave.shipped)
    cpu = time.process_time() - cpu
    problems = [f"{plan.reference}: not shipped by its wave" for plan in plans if plan.reference not in shipped]
    title = f"{title} allocated+shipped in waves of {wave_size}"
    return PhaseResult(code, title, len(plans), clock.seconds), cpu, problems


def _shortfalls(plan: PlannedOrder, allocated: SalesOrderView, shipped: SalesOrderView) -> list[str]:
    asked = [(line.sku, int(line.quantity)) for line in plan.lines]
    sent = [(line.sku, int(line.shipped)) for line in shipped.lines]
    if allocated.status == "allocated" and shipped.status == "shipped" and sent == asked:
        return []
    return [f"{plan.reference}: asked {asked}, {allocated.status} then {shipped.status}, shipped {sent}"]
