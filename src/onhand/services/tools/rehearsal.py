"""A server's busiest writes rehearsed before its first request, then rolled back.

A hot statement is compiled once for each shape it runs in (adapters/db/hot.py: a form per
count of rows inserted, per length of an `IN` list), and SQLAlchemy compiles the others the
first time it meets them; the first group of each size of a server's writes paid for that.
32 clients' first adjustments to a server just started waited 60-90 ms, their later ones
about 20 ms: enough to be a benchmark's p99 on its own. So before its first request a server
(`entrypoints/start_up.py`) makes, in one transaction that it rolls back, places and items
of its own, and then adjustments and orders allocated as its group writer makes them:
groups of 1 to `GROUP_SIZES` requests, each of another item, at one place or two.

Nothing of it is kept: no item, posting, order, audit entry or idempotency record. On
PostgreSQL the sequences of ids move on, as after any transaction rolled back, and orders are
numbered by their ids (SO-000138 would follow SO-000001), so there `Onhand.rehearse_writes`
rehearses no orders. Shapes it does not rehearse (orders of many lines, lot-tracked items)
compile when first met, as before.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from decimal import Decimal

from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.errors import OnhandError
from onhand.domain.ledger.commands import PostAdjustment, StockLine
from onhand.domain.orders.commands import CreateOrder, NewOrderLine
from onhand.services.catalog import items, locations
from onhand.services.context import Outcome, ServiceContext
from onhand.services.joined import Joined
from onhand.services.ledger import adjustments
from onhand.services.orders import order_creation

GROUP_SIZES = 16  # a hot form per count up to 16 rows or values (hot.py, hot_inserts.py)
PLACES = 2


class _RolledBack(Exception):
    """Raised to end the rehearsal's transaction without keeping anything."""


class RehearsalFailed(Exception):
    """A rehearsed write was refused (nothing was kept): the server serves all the same."""


def rehearse_writes(ctx: ServiceContext, *, orders: bool = True) -> None:
    """The rehearsal, in one transaction rolled back (see the module); orders only if `orders`
    (where ids taken by a transaction rolled back are taken again: orders are numbered by theirs).
    `RehearsalFailed` if a write was refused (a database whose settings refuse them, or one
    too busy to write now): nothing was kept, and a server serves all the same."""
    tag = f"START-UP-{secrets.token_hex(4).upper()}"  # names no one else's place, item or order
    try:
        with ctx.writing() as uow:
            joined = Joined(ctx, uow)
            places = [f"{tag}-{n}" for n in range(PLACES)]
            for place in places:
                locations.create_location(joined, CreateLocation(code=place, name=place, kind="warehouse"))
            skus = [f"{tag}-{n}" for n in range(GROUP_SIZES)]
            for sku in skus:
                items.create_item(joined, CreateItem(sku=sku, name=sku))
            # Every count of rows up to 16 at one place; lists of 2, 4, 8 and 16 items and
            # 2 places (an IN list runs as one of those lengths: adapters/db/hot.py).
            for size, spread in [*((size, 1) for size in range(1, GROUP_SIZES + 1)), (2, 2), (3, 2), (5, 2), (9, 2)]:
                lines = [(skus[n], places[n % spread]) for n in range(size)]
                _all_done(adjustments.post_adjustments(joined, [
                    (PostAdjustment(location=place, reason="found", lines=[StockLine(sku, Decimal(2))]), None)
                    for sku, place in lines]))
                if orders:
                    _all_done(order_creation.create_orders(joined, [
                        (CreateOrder(lines=[NewOrderLine(sku, Decimal(1), location=place)],
                                     reference=f"{tag}-{spread}-{size}-{n}", allocate=True), None)
                        for n, (sku, place) in enumerate(lines)]))
            raise _RolledBack
    except _RolledBack:
        pass
    except OnhandError as error:  # a database whose settings refuse these writes, or a busy one
        raise RehearsalFailed(f"a rehearsed write was refused: {error}") from error


def _all_done(outcomes: Sequence[Outcome]) -> None:
    refused = [value for ok, value in outcomes if not ok]
    if refused:
        raise RehearsalFailed(f"a rehearsed write was refused: {refused[0]}") from refused[0]
