"""Concurrent receipts and write-offs of one transfer really race here: threads, each on
its own connection (PostgreSQL when ONHAND_TEST_DATABASE_URL is set; SQLite queues them).

The transit location holds the stock of every transfer on its way, so its balance alone
cannot stop one transfer taking another's units: the transfer row is locked and its
in-transit quantity read again after the lock, so no transfer ever gives out more than
it shipped.
"""

from __future__ import annotations

from collections import Counter

import pytest

from onhand import services
from onhand.domain.errors import Conflict
from onhand.domain.transfers.commands import CreateTransfer, ReceiveTransfer, ShipTransfer, WriteOffTransit
from onhand.services.transfers.transfer_orders import NewTransferLine
from onhand.services.transfers.transit import TransferMoveLine
from tests.integration.helpers import add_item, add_place, adjust, assert_books_balance, at
from tests.integration.orders.test_order_concurrency import race

THREADS = 12


@pytest.fixture
def under_way(onhand):
    """Two transfers NY → LA through OCEAN-1, each with 10 W shipped: 20 W on the ocean."""
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "OCEAN-1", kind="transit")
    adjust(onhand, "NY", "W", 20)
    references = []
    for _ in range(2):
        made = services.transfer_orders.create_transfer(
            onhand, CreateTransfer(source="NY", destination="LA", lines=[NewTransferLine("W", 10)])
        )
        services.transit.ship_transfer(onhand, ShipTransfer(made.reference))
        references.append(made.reference)
    return references


def attempt(call):
    try:
        call()
        return "done"
    except Conflict:
        return "refused"


def test_racing_receipts_of_the_last_units_never_receive_more_than_was_shipped(onhand, under_way):
    first, second = under_way
    receive = [TransferMoveLine(1, 3)]

    outcomes = race(lambda _n: attempt(lambda: services.transit.receive_transfer(onhand, ReceiveTransfer(first,
        lines=receive))),
                    THREADS)

    assert Counter(outcomes) == {"done": 3, "refused": THREADS - 3}
    view = services.transfer_orders.get_transfer(onhand, first)
    assert (view.lines[0].received, view.lines[0].in_transit) == (9, 1)
    assert services.transfer_orders.get_transfer(onhand, second).lines[0].in_transit == 10
    assert (at(onhand, "W", "LA"), at(onhand, "W", "OCEAN-1")) == (9, 11)
    assert_books_balance(onhand)


def test_racing_receipts_and_write_offs_account_for_each_unit_once(onhand, under_way):
    first, _second = under_way
    one = [TransferMoveLine(1, 1)]

    def worker(n):
        if n % 2:
            return attempt(lambda: services.transit.receive_transfer(onhand, ReceiveTransfer(first, lines=one)))
        return attempt(lambda: services.transit.write_off_transit(onhand, WriteOffTransit(first, lines=one)))

    outcomes = race(worker, THREADS * 2)

    assert Counter(outcomes)["done"] == 10
    line = services.transfer_orders.get_transfer(onhand, first).lines[0]
    assert (line.received + line.written_off, line.in_transit) == (10, 0)
    assert at(onhand, "W", "OCEAN-1") == 10
    assert_books_balance(onhand)
