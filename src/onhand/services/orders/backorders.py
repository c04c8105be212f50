"""Promises given back and backorders served: what happens to orders when stock stops
being promised or becomes free.

Reservations are given back when an order is cancelled or changed, when a lot stops
being sellable, when a place stops being sellable, or when a loss leaves a balance
promising more than it holds; stock that arrives or becomes free serves the waiting
orders, oldest first, through `allocation.allocate`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

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
