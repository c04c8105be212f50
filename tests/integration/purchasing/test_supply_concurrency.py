"""Concurrent purchase receipts and builds really race here: threads, each on its own
connection (PostgreSQL when ONHAND_TEST_DATABASE_URL is set; SQLite queues them).

A purchase order never takes in more than it ordered (plus its tolerance), and a build
order never builds more than it was for nor consumes stock that is not free.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import event

from onhand import services
from onhand.domain.assemblies.builds import status_after_build
from onhand.domain.assemblies.commands import BuildRun, ComponentLine, CreateBuildOrder, SetBillOfMaterials
from onhand.domain.errors import Conflict
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at
from tests.integration.orders.test_order_concurrency import race
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive

THREADS = 12


def attempt(call):
    try:
        call()
        return "done"
    except Conflict:  # over-receipt, over-build and short stock are all conflicts
        return "refused"


def test_racing_receipts_never_take_in_more_than_the_purchase_order_ordered(onhand):
    purchasing_setup(onhand)
    po = placed(onhand, ("W", 10, "2.50")).reference

    outcomes = race(lambda _n: attempt(lambda: receive(onhand, po, (1, 3))), THREADS)

    assert Counter(outcomes) == {"done": 3, "refused": THREADS - 3}
    assert at(onhand, "W", "NY") == 9
    view = services.purchase_orders.get_purchase_order(onhand, po)
    assert (view.lines[0].received, view.status) == (9, "partially_received")
    assert_books_balance(onhand)


def test_racing_builds_never_build_more_than_ordered_nor_use_stock_twice(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    add_item(onhand, "ASM", kind="assembly")
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials("ASM", components=[ComponentLine("W", 2)]))
    adjust(onhand, "NY", "W", 14)  # enough for 7
    small = services.builds.create_build_order(onhand, CreateBuildOrder(sku="ASM", location="NY", quantity=4)).reference
    large = services.builds.create_build_order(onhand, CreateBuildOrder(
        sku="ASM", location="NY", quantity=20
    )).reference

    outcomes = race(lambda n: attempt(lambda: services.builds.build(onhand, BuildRun(
        (small, large)[n % 2], quantity=1
    ))),
                    THREADS)

    built = Counter(outcomes)["done"]
    assert built == 7  # 14 W make 7, whoever wins; the small order stops at 4
    assert (at(onhand, "ASM", "NY"), at(onhand, "W", "NY")) == (7, 0)
    orders = [services.builds.get_build_order(onhand, reference) for reference in (small, large)]
    assert orders[0].built <= 4 and sum(order.built for order in orders) == 7
    for order in orders:  # each status follows what was built, whichever run committed last
        assert order.status == status_after_build(order.quantity, order.built), order
    assert_books_balance(onhand)


def test_a_build_that_read_its_order_before_another_build_committed_sets_the_status_from_the_stored_count(onhand):
    """Given a run that has read its order (built 3 of 5) and a second run that commits a
    fourth unit before the first one writes, the first run's fifth unit makes the order done."""
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite queues writers: a run cannot read before another commits")
    add_place(onhand, "NY")
    add_item(onhand, "W")
    add_item(onhand, "ASM", kind="assembly")
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials("ASM", components=[ComponentLine("W", 1)]))
    adjust(onhand, "NY", "W", 5)
    reference = services.builds.create_build_order(onhand, CreateBuildOrder(
        sku="ASM", location="NY", quantity=5
    )).reference
    services.builds.build(onhand, BuildRun(reference, quantity=3))
    first = threading.current_thread()
    other_committed = threading.Event()

    def hold_the_first_runs_write(_conn, _cursor, statement, *_args):
        if threading.current_thread() is first and statement.startswith("UPDATE build_orders SET built"):
            threading.Thread(target=build_one_and_signal).start()
            assert other_committed.wait(10), "the second run did not commit"

    def build_one_and_signal():
        services.builds.build(onhand, BuildRun(reference, quantity=1))
        other_committed.set()

    event.listen(onhand.engine, "before_cursor_execute", hold_the_first_runs_write)
    try:
        view = services.builds.build(onhand, BuildRun(reference, quantity=1))
    finally:
        event.remove(onhand.engine, "before_cursor_execute", hold_the_first_runs_write)

    assert other_committed.is_set()
    assert (view.built, view.status) == (5, "done")
    with pytest.raises(Conflict):
        services.builds.build(onhand, BuildRun(reference, quantity=1))
    assert_books_balance(onhand)
