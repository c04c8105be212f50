"""W3 of the standard workload: FEFO picks, each a one-line sales order taken at one place.

One pick is three service calls, each its own transaction, as a user's requests would
be: `orders.create_order` (one line: the SKU, 1-5 units, and `location=` the place the
driver chose, so the pick is taken exactly there), `orders.allocate_order` (which
reserves lots first-expired-first-out) and `shipping.ship_order` (location → customer).

The driver's `BalanceBook` says what is on hand there, so a pick never asks for more,
and which lots hold it; with the expiry dates of the receipts the driver knows which
lots FEFO must take. Each shipment is checked against that and booked from what the
returned order says was shipped; both are untimed bookkeeping.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from benchmarks.balances import BalanceBook, Place
from benchmarks.timing import CallClocks, PhaseResult
from onhand import services
from onhand.bootstrap import Onhand
from onhand.domain.orders.commands import CreateOrder, OrderAction, ShipOrder
from onhand.services.orders.sales_orders import NewOrderLine
from onhand.services.orders.views import SalesOrderView

PICK_QUANTITY = (1, 5)
CALLS = ("create_order", "allocate_order", "ship_order")

# lot code (None for untracked stock) -> units
LotTakes = dict[str | None, int]


def fefo_takes(book: BalanceBook, place: Place, quantity: int, expiry: Mapping[str, date]) -> LotTakes:
    """The lots FEFO must take `quantity` from: earliest expiry first, then the older lot.

    Lot codes are numbered in the order the receipts created them, so the code orders
    lots as their ids do; stock without a dated lot comes after every dated one.
    """

    def fefo_key(lot: str | None) -> tuple[bool, date, str]:
        expires = expiry.get(lot) if lot else None
        return (expires is None, expires or date.max, lot or "")

    takes: LotTakes = {}
    for lot, on_hand in sorted(book.lots_at(place).items(), key=lambda pair: fefo_key(pair[0])):
        if quantity <= 0:
            break
        takes[lot] = min(on_hand, quantity)
        quantity -= takes[lot]
    return takes


def pick(
    onhand: Onhand, rng: random.Random, book: BalanceBook, expiry: Mapping[str, date], count: int
) -> tuple[PhaseResult, CallClocks, list[str]]:
    """W3: `count` picks; returns the figure, the time per call, and every FEFO discrepancy."""
    clocks = CallClocks(*CALLS)
    problems: list[str] = []
    for n in range(1, count + 1):
        place = book.random_place(rng)
        sku, location = place
        quantity = rng.randint(PICK_QUANTITY[0], min(PICK_QUANTITY[1], book.on_hand_at(place)))
        reference = f"PICK-{n:07d}"
        lines = [NewOrderLine(sku=sku, quantity=quantity, location=location)]
        with clocks.running("create_order"):
            services.sales_orders.create_order(onhand, CreateOrder(lines=lines, reference=reference))
        with clocks.running("allocate_order"):
            services.sales_orders.allocate_order(onhand, OrderAction(reference))
        with clocks.running("ship_order"):
            shipped = services.shipping.ship_order(onhand, ShipOrder(reference))
        expected = fefo_takes(book, place, quantity, expiry)
        taken = _book_shipment(book, shipped)
        if taken != {place: expected} or shipped.status != "shipped":
            problems.append(
                f"{reference}: {quantity} of {sku} at {location}: shipped {taken} ({shipped.status}), "
                f"FEFO takes {expected}"
            )
    return PhaseResult("W3", "FEFO picks", count, clocks.seconds), clocks, problems


def _book_shipment(book: BalanceBook, order: SalesOrderView) -> dict[Place, LotTakes]:
    """Take what the order shipped out of the book; returns it per place and lot."""
    taken: dict[Place, LotTakes] = defaultdict(dict)
    for shipment in order.shipments:
        for line in shipment.lines:
            units = int(line.quantity)
            book.add((line.sku, line.location, line.lot), -units)
            lots = taken[(line.sku, line.location)]
            lots[line.lot] = lots.get(line.lot, 0) + units
    return dict(taken)
