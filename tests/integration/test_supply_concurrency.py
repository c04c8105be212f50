"""Concurrent purchase receipts and builds really race here: threads, each on its own
connection (PostgreSQL when ONHAND_TEST_DATABASE_URL is set; SQLite queues them).

A purchase order never takes in more than it ordered (plus its tolerance), and a build
order never builds more than it was for nor consumes stock that is not free.
"""

from __future__ import annotations

from collections import Counter

from onhand import services
from onhand.domain.errors import Conflict
from onhand.services.bundles import ComponentLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at
from tests.integration.purchasing_helpers import placed, purchasing_setup, receive
from tests.integration.test_order_concurrency import race

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
    services.boms.set_bill_of_materials(onhand, "ASM", components=[ComponentLine("W", 2)])
    adjust(onhand, "NY", "W", 14)  # enough for 7
    small = services.builds.create_build_order(onhand, sku="ASM", location="NY", quantity=4).reference
    large = services.builds.create_build_order(onhand, sku="ASM", location="NY", quantity=20).reference

    outcomes = race(lambda n: attempt(lambda: services.builds.build(onhand, (small, large)[n % 2], quantity=1)),
                    THREADS)

    built = Counter(outcomes)["done"]
    assert built == 7  # 14 W make 7, whoever wins; the small order stops at 4
    assert (at(onhand, "ASM", "NY"), at(onhand, "W", "NY")) == (7, 0)
    assert services.builds.get_build_order(onhand, small).built <= 4
    assert_books_balance(onhand)
