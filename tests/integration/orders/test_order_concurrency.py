"""Concurrent order writers really race here: threads, each on its own connection.

Reservations are guarded updates, so however many orders allocate the same stock at
once, exactly what is on hand is promised and never more; on SQLite writers queue
behind BEGIN IMMEDIATE and nobody sees "database is locked".
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import Conflict
from onhand.domain.ledger.commands import PostStockCount
from onhand.domain.orders.commands import ConfirmPick, CreateOrder, OrderAction, ShipOrder
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, level, order

THREADS = 16


@pytest.fixture(autouse=True)
def books_balance_after_every_scenario(onhand):
    yield
    assert_books_balance(onhand)


def race(worker, threads=THREADS):
    """Run worker(thread_no) in `threads` threads released at once; return their results in order."""
    results: list[object] = [None] * threads
    failures: list[BaseException] = []
    start = threading.Barrier(threads)
    lock = threading.Lock()

    def run(number):
        start.wait()
        try:
            results[number] = worker(number)
        except BaseException as exc:  # collected and re-raised by the test
            with lock:
                failures.append(exc)

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert failures == [], failures[:3]
    return results


def test_racing_allocations_promise_exactly_what_is_on_hand_and_never_more(onhand):
    add_item(onhand, "W")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W", 20)
    demand = [1 + n % 3 for n in range(THREADS)]  # 1, 2, 3, 1, ...: 31 units asked for 20
    refs = [order(onhand, ("W", qty)).reference for qty in demand]

    views = race(lambda n: services.sales_orders.allocate_order(onhand, OrderAction(refs[n])))

    got = [view.lines[0].reserved for view in views]
    assert sum(got) == min(sum(demand), 20) == 20
    assert all(0 <= g <= d for g, d in zip(got, demand, strict=True))
    final = [services.sales_orders.get_order(onhand, ref) for ref in refs]
    assert sum(v.lines[0].reserved for v in final) == 20
    for view, wanted in zip(final, demand, strict=True):
        line = view.lines[0]
        assert line.reserved + line.backordered == wanted
        assert view.status == ("allocated" if line.reserved == wanted else "backordered")
    assert level(onhand, "W") == (20, 20, 0)
    assert_books_balance(onhand)


def test_racing_allocations_all_get_what_they_asked_when_there_is_enough(onhand, request):
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    adjust(onhand, "NY", "W", 20)
    adjust(onhand, "LA", "W", 20)
    demand = [1 + n % 3 for n in range(THREADS)]
    refs = [order(onhand, ("W", qty)).reference for qty in demand]

    views = race(lambda n: services.sales_orders.allocate_order(onhand, OrderAction(refs[n])))

    assert all(view.status == "allocated" for view in views)
    assert level(onhand, "W") == (40, sum(demand), 40 - sum(demand))
    assert_books_balance(onhand)


def test_racing_allocations_of_lots_across_sites_promise_each_unit_once(onhand, request):
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    for place, lot, qty, expiry in (
        ("NY", "L1", 4, "2026-05-01"), ("NY", "L2", 5, "2026-07-01"), ("LA", "L1", 3, "2026-05-01"),
        ("LA", "L3", 6, None),
    ):
        adjust(onhand, place, "TEA", qty, lot=lot, expiry_date=expiry)
    rng = random.Random(7)
    demand = [rng.randint(1, 3) for _ in range(THREADS)]
    refs = [order(onhand, ("TEA", qty)).reference for qty in demand]

    race(lambda n: services.sales_orders.allocate_order(onhand, OrderAction(refs[n])))

    final = [services.sales_orders.get_order(onhand, ref) for ref in refs]
    assert sum(v.lines[0].reserved for v in final) == min(sum(demand), 18)
    assert all(v.lines[0].reserved <= d for v, d in zip(final, demand, strict=True))
    for row in services.stock.stock_levels(onhand, group_by="balance").levels:
        assert row.reserved <= row.on_hand
    assert_books_balance(onhand)


def test_the_same_channel_order_sent_at_once_by_many_webhooks_is_created_once(onhand):
    add_item(onhand, "W")

    views = race(
        lambda _n: services.sales_orders.create_order(
            onhand, CreateOrder(lines=[NewOrderLine("W", 1)], channel="shopify", external_id="#1001"),
        ),
        threads=12,
    )

    assert len({view.reference for view in views}) == 1
    assert len(services.sales_orders.list_orders(onhand)) == 1


def test_concurrent_orders_created_without_a_reference_all_get_their_own_number(onhand, request):
    add_item(onhand, "W")

    views = race(lambda _n: order(onhand, ("W", 1)), threads=12)

    assert len({view.reference for view in views}) == 12
    assert len(services.sales_orders.list_orders(onhand)) == 12


def test_allocating_shipping_cancelling_and_stock_moving_at_once_keep_the_books(onhand):
    # Given 12 orders for W at NY with too little stock for all of them,
    add_item(onhand, "W")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W", 18)
    threads = 12
    refs = [order(onhand, ("W", 2 + n % 3)).reference for n in range(threads - 2)]
    found, lost = Counter(), Counter()

    # when each order thread allocates and then ships or cancels, while one thread finds
    # stock and another loses it,
    def worker(number):
        if number == threads - 2:
            for _ in range(6):
                adjust(onhand, "NY", "W", 1)
                found["W"] += 1
            return "found"
        if number == threads - 1:
            for _ in range(6):
                try:
                    adjust(onhand, "NY", "W", -1, reason="lost")
                    lost["W"] += 1
                except Conflict:  # nothing left on hand
                    pass
            return "lost"
        ref = refs[number]
        services.sales_orders.allocate_order(onhand, OrderAction(ref))
        try:
            if number % 3 == 0:
                return services.sales_orders.cancel_order(onhand, OrderAction(ref)).status
            return services.shipping.ship_order(onhand, ShipOrder(ref)).status
        except Conflict:  # a loss took all it had reserved before it shipped
            return "nothing to ship"

    race(worker, threads=threads)

    # then every unit is accounted for and no order was promised more than it asked.
    views = [services.sales_orders.get_order(onhand, ref) for ref in refs]
    shipped = sum(ln.shipped for v in views for ln in v.lines)
    reserved = sum(ln.reserved for v in views for ln in v.lines)
    on_hand, reserved_there, _ = level(onhand, "W")
    assert on_hand == 18 + found["W"] - lost["W"] - shipped
    assert reserved_there == reserved <= on_hand
    for view in views:
        for line in view.lines:
            assert line.shipped + line.reserved <= line.quantity
        if view.status == "cancelled":
            assert all(ln.reserved == 0 for ln in view.lines)
    assert_books_balance(onhand)


def test_picking_and_shipping_orders_at_once_never_ship_a_unit_twice(onhand):
    add_item(onhand, "W")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W", 36)
    threads = 12
    refs = [order(onhand, ("W", 3)).reference for _ in range(threads)]
    for ref in refs:
        services.sales_orders.allocate_order(onhand, OrderAction(ref))

    def worker(number):
        ref = refs[number]
        services.picking.confirm_pick(
            onhand, ConfirmPick(ref, picks=[services.picking.PickConfirmation("W", "NY", 1 + number % 3)])
        )
        return services.shipping.ship_order(onhand, ShipOrder(ref)).lines[0].shipped

    shipped = race(worker, threads=threads)

    assert sum(shipped) == sum(1 + n % 3 for n in range(threads))
    assert level(onhand, "W") == (36 - sum(shipped), 36 - sum(shipped), 0)
    assert_books_balance(onhand)


def test_cancelling_an_order_while_it_is_being_allocated_leaves_it_holding_nothing(onhand, request):
    # Two writers race on each order: one allocates it, one cancels it. Whichever wins,
    # a cancelled order must hold no reservation (stock promised to nobody would be lost).
    add_item(onhand, "W")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W", 100)
    pairs = 6
    for _round in range(5):
        refs = [order(onhand, ("W", 2)).reference for _ in range(pairs)]

        def worker(number, refs=refs):
            ref = refs[number // 2]
            try:
                if number % 2:
                    return services.sales_orders.cancel_order(onhand, OrderAction(ref)).status
                return services.sales_orders.allocate_order(onhand, OrderAction(ref)).status
            except Conflict:  # allocating after the cancel won: refused, as it should be
                return "refused"

        race(worker, threads=pairs * 2)
        for ref in refs:
            view = services.sales_orders.get_order(onhand, ref)
            assert view.status == "cancelled"
            assert [ln.reserved for ln in view.lines] == [Decimal(0)], view
    assert level(onhand, "W") == (100, 0, 100)
    assert_books_balance(onhand)


def test_stock_arriving_while_backorders_are_cancelled_is_not_promised_to_cancelled_orders(onhand, request):
    add_item(onhand, "W")
    add_place(onhand, "NY")
    pairs = 6
    for _round in range(5):
        services.counts.post_stock_count(onhand, PostStockCount(location="NY", lines=[StockLine("W", 0)]))
        refs = [order(onhand, ("W", 2)).reference for _ in range(pairs)]
        for ref in refs:
            assert services.sales_orders.allocate_order(onhand, OrderAction(ref)).status == "backordered"

        def worker(number, refs=refs):
            if number % 2:
                return services.sales_orders.cancel_order(onhand, OrderAction(refs[number // 2])).status
            return adjust(onhand, "NY", "W", 2).id

        race(worker, threads=pairs * 2)
        for ref in refs:
            view = services.sales_orders.get_order(onhand, ref)
            assert view.status == "cancelled" and [ln.reserved for ln in view.lines] == [Decimal(0)], view
    assert level(onhand, "W")[1] == 0
    assert_books_balance(onhand)
