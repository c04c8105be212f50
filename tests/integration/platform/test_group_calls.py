"""Calls run by the group writer (`GroupWriter.submit`, `Onhand.call_in_group`): a request's
whole service call on the writer, each of its writes there and then under a savepoint of its
own, as a transaction of its own would be; its result or error once the group has committed."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event

from onhand import services
from onhand.adapters.db.group_commit import GroupFailed, Together
from onhand.domain.errors import InsufficientStock, TransientConflict
from tests.integration.helpers import add_item, add_place, adjust, counted_calls, level, turn_kept_by

WAIT_S = 30  # a call that waited for anything would take this long


@pytest.fixture
def stocked(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)
    return onhand


def test_a_call_runs_on_the_writer_and_answers_once_its_group_has_committed(stocked):
    commits: list[str] = []

    def count(_conn: Any) -> None:
        commits.append(threading.current_thread().name)

    event.listen(stocked.engine, "commit", count)
    try:
        with stocked.grouping_writes() as grouped:

            def call() -> Any:
                posting = adjust(grouped, "NY", "TEA", 2)
                return threading.current_thread().name, posting.id, list(commits)

            thread, posting_id, committed_before = grouped.call_in_group(call).result(WAIT_S)
    finally:
        event.remove(stocked.engine, "commit", count)

    assert thread.startswith("onhand-writer")
    assert committed_before == []  # its write was in the group's transaction, not one of its own
    assert commits == [thread]  # the group's one COMMIT, before the answer
    assert level(stocked, "TEA", "NY")[0] == 12
    assert services.postings.get_posting(stocked, posting_id).id == posting_id


def test_each_write_of_a_call_stands_alone_as_a_transaction_would(stocked):
    with stocked.grouping_writes() as grouped:

        def call() -> None:
            adjust(grouped, "NY", "TEA", 5)  # kept
            adjust(grouped, "NY", "TEA", -100, reason="lost")  # refused: rolled back alone

        with pytest.raises(InsufficientStock):
            grouped.call_in_group(call).result(WAIT_S)
        later = grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 1)).result(WAIT_S)

    assert later.id is not None
    assert level(stocked, "TEA", "NY")[0] == 16
    assert services.integrity.verify(stocked).ok


def test_a_call_whose_group_fails_to_commit_keeps_nothing_and_says_so(stocked):
    def fail_commit(conn: Any) -> None:
        conn.exec_driver_sql("SELECT * FROM no_such_table_so_the_commit_fails")

    with stocked.grouping_writes() as grouped:
        event.listen(stocked.engine, "commit", fail_commit)
        try:
            with pytest.raises(GroupFailed):
                grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 3)).result(WAIT_S)
        finally:
            event.remove(stocked.engine, "commit", fail_commit)

    assert level(stocked, "TEA", "NY")[0] == 10
    assert services.integrity.verify(stocked).ok


def test_a_read_in_a_call_takes_no_turn_so_the_group_never_waits_behind_readers(stocked):
    turns = stocked._database._read_turns
    if turns is None:
        pytest.skip("PostgreSQL's reads take no turns")
    turns._wait = WAIT_S  # a read that waited for a turn would wait this long
    holding, release = threading.Barrier(3), threading.Event()

    def reader() -> None:
        with turns.turn():
            holding.wait(WAIT_S)
            release.wait(WAIT_S)

    readers = [threading.Thread(target=reader) for _ in range(2)]  # both turns held
    for thread in readers:
        thread.start()
    holding.wait(WAIT_S)
    try:
        with stocked.grouping_writes() as grouped:
            on_hand = grouped.call_in_group(lambda: level(grouped, "TEA", "NY")[0]).result(WAIT_S / 3)
    finally:
        release.set()
        for thread in readers:
            thread.join(WAIT_S)
    assert on_hand == 10


def test_a_call_that_opens_a_transaction_of_its_own_is_refused_rather_than_waiting_for_itself(stocked):
    def call() -> None:
        with grouped.writing():
            pass

    with stocked.grouping_writes() as grouped:
        with pytest.raises(RuntimeError, match="in_transaction only"):
            grouped.call_in_group(call).result(WAIT_S)
        assert adjust(grouped, "NY", "TEA", 1).id is not None  # the writer goes on


def test_only_an_onhand_that_groups_its_writes_takes_calls(onhand):
    assert not onhand.writes_in_groups
    with pytest.raises(RuntimeError, match="transaction of its own"):
        onhand.call_in_group(lambda: None)


def test_a_call_cancelled_while_queued_is_not_run_and_the_group_goes_on(stocked):
    held, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def holding() -> None:
        held.set()
        release.wait(WAIT_S)
        ran.append("holding")

    def cancelled() -> None:
        ran.append("cancelled")
        adjust(grouped, "NY", "TEA", 100)

    with stocked.grouping_writes() as grouped:
        first = grouped.call_in_group(holding)
        assert held.wait(WAIT_S)  # the writer is busy with the first: the next ones queue
        second = grouped.call_in_group(cancelled)
        third = grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 1))
        assert second.cancel()  # its caller gave up while it waited
        assert not first.cancel()  # running: too late to give up
        release.set()

        first.result(WAIT_S)
        posting = third.result(WAIT_S)

    assert second.cancelled() and ran == ["holding"]
    assert posting.id is not None
    assert level(stocked, "TEA", "NY")[0] == 11


def queued_behind_a_held_writer(grouped, submit):
    """`submit()`'s futures, queued while the writer is held, so that they share the next group."""
    held, release = threading.Event(), threading.Event()
    first = grouped.call_in_group(lambda: (held.set(), release.wait(WAIT_S)))
    assert held.wait(WAIT_S)
    try:
        return submit()
    finally:
        release.set()
        first.result(WAIT_S)


def test_calls_of_one_kind_in_a_group_are_run_together_each_with_its_own_outcome(stocked):
    batches: list[list[int]] = []

    def run_all(items):
        batches.append(list(items))
        return [(True, adjust(grouped, "NY", "TEA", n).id) if n > 0 else (False, ValueError(f"refused {n}"))
                for n in items]

    def never() -> None:
        raise AssertionError("a call run together is not called alone")

    with stocked.grouping_writes() as grouped:
        tea, lone, plain = queued_behind_a_held_writer(grouped, lambda: (
            [grouped.call_in_group(never, Together("tea", n, run_all)) for n in (1, -1, 2)],
            grouped.call_in_group(lambda: "alone", Together("other", 0, run_all)),
            grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 4).id),
        ))
        first, refused, third = tea
        assert isinstance(first.result(WAIT_S), int) and isinstance(third.result(WAIT_S), int)
        with pytest.raises(ValueError, match="refused -1"):
            refused.result(WAIT_S)
        assert lone.result(WAIT_S) == "alone"  # the only one of its kind: its own call
        assert isinstance(plain.result(WAIT_S), int)

    assert batches == [[1, -1, 2]]
    assert level(stocked, "TEA", "NY")[0] == 17


def test_calls_run_together_that_raise_fail_each_and_the_group_goes_on(stocked):
    def run_all(items):
        adjust(grouped, "NY", "TEA", 100)  # under a savepoint of its own: kept
        raise LookupError("a bug")

    with stocked.grouping_writes() as grouped:
        tea, plain = queued_behind_a_held_writer(grouped, lambda: (
            [grouped.call_in_group(lambda: None, Together("tea", n, run_all)) for n in (1, 2)],
            grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 1).id),
        ))
        for future in tea:
            with pytest.raises(LookupError):
                future.result(WAIT_S)
        assert isinstance(plain.result(WAIT_S), int)

    assert level(stocked, "TEA", "NY")[0] == 111


def turns_held(uow: Any) -> int:
    """Advisory locks the unit of work's session holds: its group's turn, once taken. (A statement
    naming advisory locks would take the turn itself.)"""
    return uow.connection.exec_driver_sql(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advis' || 'ory' AND pid = pg_backend_pid()").scalar()


def test_on_postgresql_calls_run_together_take_the_turn_at_their_first_statement_that_locks(stocked):
    """What they read before runs beside the other processes' groups
    (adapters/db/group_turn.py)."""
    if stocked.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no turn between processes")
    seen: list[int] = []

    def run_all(items):
        seen.append(services.context.in_transaction(grouped, turns_held))  # before any write
        adjust(grouped, "NY", "TEA", 1)
        seen.append(services.context.in_transaction(grouped, turns_held))
        return [(True, item) for item in items]

    with stocked.grouping_writes() as grouped:
        calls = queued_behind_a_held_writer(grouped, lambda: [
            grouped.call_in_group(lambda: None, Together("tea", n, run_all)) for n in (1, 2)])
        assert [call.result(WAIT_S) for call in calls] == [1, 2]

    assert seen == [0, 1]


def test_on_postgresql_a_unit_of_work_about_to_write_takes_its_groups_turn_then(stocked):
    """A write that reads something it must read in turn (a posting's clock) says it is about to
    write: in a group that takes its turn lazily the turn is taken there, before any write; in a
    transaction of its own there is no turn, and nothing is taken."""
    if stocked.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no turn between processes")
    seen: list[int] = []

    def about_to_write(uow: Any) -> None:
        seen.append(turns_held(uow))
        uow.about_to_write()
        uow.about_to_write()  # once taken, kept: no second lock
        seen.append(turns_held(uow))

    def run_all(items):
        services.context.in_transaction(grouped, about_to_write)
        return [(True, item) for item in items]

    with stocked.grouping_writes() as grouped:
        calls = queued_behind_a_held_writer(grouped, lambda: [
            grouped.call_in_group(lambda: None, Together("tea", n, run_all)) for n in (1, 2)])
        assert [call.result(WAIT_S) for call in calls] == [1, 2]
    services.context.in_transaction(stocked, about_to_write)
    assert seen == [0, 1, 0, 0]


def test_on_postgresql_a_turn_kept_elsewhere_fails_the_group_after_one_wait(stocked, monkeypatch):
    """A stuck session keeping the turn: the group's first write waits `TURN_WAIT_MS` for it and
    fails as retryable; every other write of that group, and every retry, fails at once rather
    than waiting again. Once let go of, the turn is there for the next group."""
    from onhand.adapters.db import group_turn

    if stocked.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no turn between processes")
    monkeypatch.setattr(group_turn, "TURN_WAIT_MS", 300)
    waits = counted_calls(monkeypatch, group_turn, "run_sql")  # a wait for the turn (none held to let go)
    with stocked.grouping_writes() as grouped:
        with stocked.engine.connect() as stuck, turn_kept_by(stuck):
            calls = queued_behind_a_held_writer(grouped, lambda: [
                grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 1).id) for _ in range(3)])
            for call in calls:
                with pytest.raises(TransientConflict):
                    call.result(WAIT_S)
        assert len(waits) == 1  # three writes, each tried five times: one wait
        assert isinstance(grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 1).id).result(WAIT_S), int)
    assert level(stocked, "TEA", "NY")[0] == 11  # the refused three left nothing
