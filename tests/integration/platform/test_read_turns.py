"""SQLite's reads take turns in a process (adapters/db/read_turns.py): no more at once than
there are turns, a read inside a read takes none, one that waits too long goes ahead; and
PostgreSQL's reads take none."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from onhand.adapters.db.read_turns import ReadTurns

LONG = 10.0  # seconds: a wait the tests must never reach
Taken = ReadTurns | Callable[[], AbstractContextManager[object]]  # turns, or a read that takes one


def _holder(turns: Taken, inside: threading.Event, leave: threading.Event) -> threading.Thread:
    """A thread that takes a turn (or enters what is given), says so, and keeps it until told to leave."""
    enter = turns.turn if isinstance(turns, ReadTurns) else turns

    def run() -> None:
        with enter():
            inside.set()
            leave.wait(LONG)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _hold(turns: Taken, inside: threading.Event, leave: threading.Event) -> threading.Thread:
    thread = _holder(turns, inside, leave)
    assert inside.wait(LONG)
    return thread


def test_no_more_reads_at_once_than_turns() -> None:
    turns = ReadTurns(turns=2, wait=LONG)
    leave = threading.Event()
    holders = [_hold(turns, threading.Event(), leave) for _ in range(2)]
    third_in = threading.Event()
    third = _holder(turns, third_in, leave)

    assert not third_in.wait(0.3)  # both turns are held: the third waits
    leave.set()
    assert third_in.wait(LONG)  # a turn came free
    for thread in (*holders, third):
        thread.join(LONG)


def test_a_read_inside_a_read_takes_no_second_turn() -> None:
    turns = ReadTurns(turns=1, wait=LONG)
    started = time.monotonic()
    with turns.turn(), turns.turn():  # would wait LONG for itself if it took another
        pass
    assert time.monotonic() - started < 1


def test_a_read_that_waits_too_long_goes_ahead_without_a_turn() -> None:
    turns = ReadTurns(turns=1, wait=0.2)
    leave = threading.Event()
    holder = _hold(turns, threading.Event(), leave)
    started = time.monotonic()
    with turns.turn():  # the only turn is held: in after `wait`, without one
        waited = time.monotonic() - started
    assert 0.15 < waited < LONG
    leave.set()
    holder.join(LONG)
    with turns.turn():  # the turn it did not take was not given back twice
        pass
    assert turns._free == 1 and not turns._waiting  # one turn, free again, no one waiting


def test_sqlite_reads_and_key_reads_take_turns_postgresql_ones_none(onhand) -> None:
    database = onhand._database  # the adapter under the application
    if onhand.engine.dialect.name == "postgresql":
        assert database._read_turns is None
        return
    database._read_turns = ReadTurns(turns=1, wait=LONG)
    leave = threading.Event()
    holder = _hold(onhand.reading, threading.Event(), leave)
    done: list[str] = []
    reader = threading.Thread(target=lambda: done.append(_read_once(onhand)))
    reader.start()
    time.sleep(0.3)
    assert done == []  # the key read waits for the turn
    leave.set()
    reader.join(LONG)
    holder.join(LONG)
    assert done == ["once"]
    with onhand.reading(), onhand.reading_once():  # inside its own turn: no wait
        pass


def _read_once(onhand) -> str:
    with onhand.reading_once() as uow:
        uow.api_keys.by_prefix("nothing")
    return "once"



def test_an_event_loop_never_waits_for_a_turn() -> None:
    turns = ReadTurns(turns=1, wait=LONG)
    leave = threading.Event()
    holder = _hold(turns, threading.Event(), leave)

    async def read_on_the_loop() -> float:
        started = time.monotonic()
        with turns.turn():
            return time.monotonic() - started

    assert asyncio.run(read_on_the_loop()) < 1  # the only turn is held: it went ahead
    leave.set()
    holder.join(LONG)


def test_turns_go_in_the_order_they_were_asked_for() -> None:
    turns = ReadTurns(turns=1, wait=LONG)
    leave = threading.Event()
    holder = _hold(turns, threading.Event(), leave)
    order: list[str] = []

    def read(name: str) -> None:
        with turns.turn():
            order.append(name)

    first = threading.Thread(target=read, args=("first",))
    first.start()
    while len(turns._waiting) < 1:
        time.sleep(0.001)
    second = threading.Thread(target=read, args=("second",))
    second.start()
    while len(turns._waiting) < 2:
        time.sleep(0.001)
    leave.set()
    for thread in (holder, first, second):
        thread.join(LONG)
    assert order == ["first", "second"]
