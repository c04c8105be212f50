"""Concurrent writers really race here: threads, each on its own connection.

On PostgreSQL the guarded update decides who gets the last units; on SQLite writers
queue behind BEGIN IMMEDIATE and nobody sees "database is locked".
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

from onhand import services
from onhand.domain.errors import InsufficientStock
from onhand.domain.ledger.commands import MoveStock, PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, level

THREADS = 12


def race(worker, attempts):
    """Run worker(thread_no, attempt_no) from THREADS threads released at once."""
    outcomes: Counter[str] = Counter()
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)
    lock = threading.Lock()

    def run(number):
        start.wait()
        for attempt in range(attempts):
            try:
                outcome = worker(number, attempt)
            except BaseException as exc:  # collected and re-raised by the test
                with lock:
                    failures.append(exc)
                return
            with lock:
                outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [], failures[:3]
    return outcomes


def test_racing_takers_get_exactly_what_was_on_hand_and_never_more(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "W-1", 40)

    def take(_number, _attempt):
        try:
            adjust(onhand, "NY", "W-1", -1, reason="lost")
            return "taken"
        except InsufficientStock:
            return "refused"

    outcomes = race(take, attempts=5)
    assert outcomes == {"taken": 40, "refused": THREADS * 5 - 40}
    assert level(onhand, "W-1") == (0, 0, 0)
    assert services.integrity.verify(onhand).ok


def test_concurrent_postings_in_opposite_directions_do_not_deadlock_or_lose_updates(onhand):
    add_item(onhand, "W-1")
    add_item(onhand, "W-2")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    for place in ("NY", "LA"):
        services.adjustments.post_adjustment(
            onhand, PostAdjustment(location=place, reason="found",
            lines=[StockLine("W-1", 1000), StockLine("W-2", 1000)]),
        )

    def shuttle(number, attempt):
        source, destination = ("NY", "LA") if number % 2 else ("LA", "NY")
        # Lines in opposite orders too: locks must still be taken in one order.
        lines = [StockLine("W-1", 1), StockLine("W-2", 2)]
        services.relocations.move_stock(
            onhand, MoveStock(source=source, destination=destination, lines=lines if attempt % 2 else lines[::-1])
        )
        return "moved"

    outcomes = race(shuttle, attempts=10)
    assert outcomes == {"moved": THREADS * 10}
    # Half the threads moved each way, so everything is back where it started.
    assert level(onhand, "W-1", "NY") == (1000, 0, 1000)
    assert level(onhand, "W-2", "LA") == (1000, 0, 1000)
    assert services.integrity.verify(onhand).ok


def test_concurrent_receipts_of_new_balances_all_count(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")

    def receive(_number, _attempt):
        adjust(onhand, "NY", "W-1", 1)
        return "received"

    race(receive, attempts=10)
    assert level(onhand, "W-1") == (Decimal(THREADS * 10), 0, Decimal(THREADS * 10))
    assert services.integrity.verify(onhand).ok


def test_concurrent_first_receipts_of_one_new_lot_create_it_once(onhand):
    add_item(onhand, "TEA", tracking="lot")
    add_place(onhand, "NY")

    def receive(_number, _attempt):
        adjust(onhand, "NY", "TEA", 1, lot="NEW-LOT", expiry_date="2027-01-01")
        return "received"

    race(receive, attempts=2)
    assert [lot.code for lot in services.lots.list_lots(onhand, "TEA")] == ["NEW-LOT"]
    assert level(onhand, "TEA") == (THREADS * 2, 0, THREADS * 2)
