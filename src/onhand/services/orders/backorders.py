"""Promises given back and backorders served: what happens to orders when stock stops
being promised or becomes free.

Reservations are given back when an order is cancelled or changed, when a lot stops
being sellable, when a place stops being sellable, or when a loss leaves a balance
promising more than it holds; stock that arrives or becomes free serves the waiting
orders, oldest first, through `allocation.allocate`.

The ledger and the catalog do not call this area: they publish what happened
(`PostingsWritten`, `LotStatusChanged`, `SellablePlacesChanged`) and the `on_…`
subscribers here act on it in the same transaction (bootstrap.standard_subscribers).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from onhand.domain.catalog.events import LotStatusChanged, SellablePlacesChanged
from onhand.domain.catalog.lots import LotStatus
from onhand.domain.ledger.events import PostingsWritten
from onhand.domain.ledger.postings import BalanceKey
from onhand.domain.orders.sales_orders import OrderStatus
from onhand.services.orders.allocation import allocate

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork

# Orders whose backorders are served when stock arrives.
WAITING = {OrderStatus.BACKORDERED.value, OrderStatus.PARTIALLY_SHIPPED.value}


def release_lot(uow: UnitOfWork, lot_id: int, now: datetime) -> None:
    """A lot stopped being sellable: free its reservations and allocate those orders again."""
    affected = set()
    for row in uow.reservations.of_lot(lot_id):
        uow.reservations.release(row, row.quantity)
        affected.add(uow.orders.order_of_line(row.order_line_id))
    serve_backorders(uow, item_ids=[], also_orders=sorted(affected), now=now)


def release_order(uow: UnitOfWork, order_id: int) -> list[int]:
    """Give back every reservation of the order; returns the items that became free."""
    freed = set()
    for row in uow.reservations.for_order(order_id):
        uow.reservations.release(row, row.quantity)
        freed.add(row.item_id)
    return sorted(freed)


def release_at(uow: UnitOfWork, location_ids: list[int], now: datetime) -> None:
    """Places stopped being sellable: give back what is promised there but not yet
    picked, and allocate those orders again elsewhere."""
    affected = set()
    for row in uow.reservations.at_locations(location_ids):
        if row.quantity > row.picked:
            uow.reservations.release(row, row.quantity - row.picked)
            affected.add(uow.orders.order_of_line(row.order_line_id))
    serve_backorders(uow, item_ids=[], also_orders=sorted(affected), now=now)


def release_overcommitted(uow: UnitOfWork, keys: list[BalanceKey]) -> list[int]:
    """Shrink reservations, newest first, where less is on hand than is promised.

    Returns the ids of the orders that lost reservations (to be re-allocated).
    """
    affected: set[int] = set()
    for key, excess in uow.balances.overcommitted(keys):
        for row in uow.reservations.at_balance_newest_first(key):
            if excess <= 0:
                break
            give_back = min(row.quantity, excess)
            uow.reservations.release(row, give_back)
            affected.add(uow.orders.order_of_line(row.order_line_id))
            excess -= give_back
    return sorted(affected)


def serve_backorders(
    uow: UnitOfWork, *, item_ids: list[int], also_orders: list[int], now: datetime
) -> None:
    """Allocate waiting orders for items that just arrived, oldest order first."""
    waiting = uow.orders.with_backorders(item_ids) if item_ids else []
    for order_id in sorted(set(waiting) | set(also_orders)):
        order = uow.orders.locked(order_id)
        if order.status in WAITING or order_id in also_orders:
            allocate(uow, order_id, now, order=order)


def on_postings_written(uow: UnitOfWork, event: PostingsWritten) -> None:
    """Keep promises consistent with what is on hand, in the posting's transaction.

    Stock that left a balance holding reservations (a loss, a count) shrinks them,
    newest first; stock that arrived somewhere sellable serves backorders, oldest first.
    """
    shrunk = [
        key for key, delta in event.deltas.items()
        if delta < 0 and event.places[key[1]].is_internal and key[1] not in event.kept_promises
    ]
    affected = release_overcommitted(uow, shrunk) if shrunk else []
    arrived = sorted(
        {key[0] for key, delta in event.deltas.items() if delta > 0 and event.places[key[1]].is_internal}
    )
    serve_backorders(uow, item_ids=arrived, also_orders=affected, now=event.now)


def on_lot_status_changed(uow: UnitOfWork, event: LotStatusChanged) -> None:
    """A lot that stopped being sellable gives its promises back; one released from
    quarantine serves waiting orders again."""
    if event.status is not LotStatus.RELEASED:
        release_lot(uow, event.lot.id, event.now)
    elif event.released:
        serve_backorders(uow, item_ids=[event.lot.item_id], also_orders=[], now=event.now)


def on_sellable_places_changed(uow: UnitOfWork, event: SellablePlacesChanged) -> None:
    """Promises leave places that stopped being sellable; stock in places that became
    sellable serves waiting orders."""
    if event.closed:
        release_at(uow, list(event.closed), event.now)
    if event.opened:
        rows = uow.balances.balance_rows(item_ids=None, location_ids=list(event.opened))
        items = sorted({row.item_id for row in rows})
        serve_backorders(uow, item_ids=items, also_orders=[], now=event.now)
