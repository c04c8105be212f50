"""Group commit (adapters/db/group_commit.py): many requests in one transaction, each under
its own savepoint. A request that fails is rolled back alone and leaves no trace; the
others are committed by the group's one COMMIT; a COMMIT that fails fails them all as
transient, and each is retried."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from onhand import services
from onhand.adapters.db.repositories.places import GroupLocationCache, LocationCache
from onhand.adapters.db.tables.audit import audit_log
from onhand.adapters.db.tables.core import idempotency_keys, lots, postings
from onhand.adapters.db.tables.feed import events
from onhand.domain.catalog.commands import CreateLocation
from onhand.domain.catalog.locations import Location, LocationKind
from onhand.domain.errors import InsufficientStock, OnhandError, TransientConflict
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.context import in_transaction
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, level, turn_kept_by


class Refused(OnhandError):
    """What a request raises after all of its work (as a last subscriber refusing might)."""


class FailsAfterItsWork:
    """A service context whose every write does all of its work — posting, lot, idempotency
    record, audit entry, events — and then raises `Refused` inside its transaction."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def transact(self, work: Callable[[Any], Any]) -> Any:
        def then_refuse(uow: Any) -> Any:
            work(uow)
            raise Refused("refused after its work")

        return self._ctx.transact(then_refuse)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def adjustment(sku: str, quantity: int, lot: str | None = None) -> PostAdjustment:
    return PostAdjustment(location="NY", reason="found", lines=[StockLine(sku, Decimal(quantity), lot)])


def at_ny(view: Any) -> Decimal:
    """What a posting changed at NY."""
    (move,) = view.moves
    return move.quantity if move.to_location == "NY" else -move.quantity


def counts(onhand) -> dict[str, int]:
    with onhand.reading() as uow:
        return {name: uow.connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in (("postings", postings), ("audit", audit_log), ("keys", idempotency_keys),
                                    ("events", events), ("lots", lots))}


@contextmanager
def commits_counted(onhand) -> Iterator[list[int]]:
    counted: list[int] = []

    def count(_conn: Any) -> None:
        counted.append(1)

    event.listen(onhand.engine, "commit", count)
    try:
        yield counted
    finally:
        event.remove(onhand.engine, "commit", count)


def in_one_group(onhand, requests: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Run `requests` (name → call of a service on a context) through a group writer, all in
    one group: they are queued while the writer is held by a request before them. What each
    returned or raised, by name."""
    writer = onhand.group_writer(writers=1)  # PostgreSQL's others would take the queued ones
    grouped = onhand.writing_through(writer)
    holding, release = threading.Event(), threading.Event()

    def hold(_uow: Any) -> None:
        holding.set()
        release.wait(10)

    outcomes: dict[str, Any] = {}

    def run(name: str, call: Callable[[Any], Any]) -> None:
        try:
            outcomes[name] = call(grouped)
        except Exception as exc:  # the outcome under test
            outcomes[name] = exc

    try:
        holder = threading.Thread(target=in_transaction, args=(grouped, hold))
        holder.start()
        assert holding.wait(10)
        threads = [threading.Thread(target=run, args=item) for item in requests.items()]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while writer.queued < len(requests) and time.monotonic() < deadline:
            time.sleep(0.001)
        assert writer.queued == len(requests)
        release.set()
        for thread in [holder, *threads]:
            thread.join(10)
    finally:
        release.set()
        writer.close()
    return outcomes


def test_a_request_that_fails_in_a_group_leaves_no_trace_and_the_others_are_committed(onhand):
    add_item(onhand, "TEA")
    add_item(onhand, "MILK", tracking="lot")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)
    adjust(onhand, "NY", "MILK", 4, lot="OLD")
    before = counts(onhand)
    services.adjustments.post_adjustment(onhand, adjustment("TEA", 1), idempotency_key="measure")
    one_adjustment = {name: counts(onhand)[name] - before[name] for name in before}
    before = counts(onhand)

    def post(command: PostAdjustment, key: str) -> Callable[[Any], Any]:
        return lambda ctx: services.adjustments.post_adjustment(ctx, command, idempotency_key=key)

    with commits_counted(onhand) as commits:
        outcomes = in_one_group(onhand, {
            "found": post(adjustment("TEA", 5), "found"),
            "refused": lambda ctx: post(adjustment("MILK", 7, lot="NEW"), "refused")(FailsAfterItsWork(ctx)),
            "lost": post(adjustment("TEA", -3), "lost"),
            "short": post(adjustment("TEA", -1000), "short"),
            "new place": lambda ctx: services.locations.create_location(
                FailsAfterItsWork(ctx), CreateLocation(code="LA", name="Los Angeles", kind="warehouse")),
            "one more": post(adjustment("TEA", 1), "one more"),
        })
    assert len(commits) == 2  # the request holding the writer, then the group of six

    # Each caller got its own result or its own error, unchanged.
    assert isinstance(outcomes["refused"], Refused)
    assert isinstance(outcomes["new place"], Refused)
    assert isinstance(outcomes["short"], InsufficientStock)
    assert outcomes["short"].shortages[0].sku == "TEA"
    for name, quantity in (("found", 5), ("lost", -3), ("one more", 1)):
        assert at_ny(outcomes[name]) == quantity, name

    # The three that succeeded are committed, with their keys; the failed ones left nothing.
    assert level(onhand, "TEA", "NY")[0] == 10 + 1 + 5 - 3 + 1
    assert level(onhand, "MILK", "NY")[0] == 4
    after = counts(onhand)
    assert after == {name: before[name] + 3 * one_adjustment[name] for name in before}
    with onhand.reading() as uow:
        keys = set(uow.connection.execute(select(idempotency_keys.c.key)).scalars())
        assert uow.locations.get_by_code("LA") is None
    assert {"found", "lost", "one more"} <= keys and not {"refused", "short", "new place"} & keys
    # A repeat of a committed request is answered from its record; a failed one's key is free.
    again = services.adjustments.post_adjustment(onhand, adjustment("TEA", 5), idempotency_key="found")
    assert again.id == outcomes["found"].id
    services.adjustments.post_adjustment(onhand, adjustment("MILK", 7, lot="NEW"), idempotency_key="refused")
    assert level(onhand, "MILK", "NY")[0] == 11
    # The location the failed request made is nowhere: not in the process's location cache either.
    services.locations.create_location(onhand, CreateLocation(code="LA", name="Los Angeles", kind="warehouse"))
    adjust(onhand, "LA", "TEA", 2)
    assert level(onhand, "TEA", "LA")[0] == 2
    assert services.integrity.verify(onhand).ok


def test_requests_of_one_group_see_each_others_writes_and_idempotency_keys(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 2)

    def take(ctx: Any) -> Any:
        return services.adjustments.post_adjustment(ctx, adjustment("TEA", -1), idempotency_key="same")

    outcomes = in_one_group(onhand, {"first": take, "repeat": take, "other": lambda ctx: adjust(ctx, "NY", "TEA", -1)})
    # The repeat is answered from the first's record (in the group's own transaction).
    assert outcomes["first"].id == outcomes["repeat"].id
    assert at_ny(outcomes["other"]) == -1
    assert level(onhand, "TEA", "NY")[0] == 0


class Counted:
    """A service context counting the attempts of its writes."""

    def __init__(self, ctx: Any, attempts: dict[str, int], name: str) -> None:
        self._ctx, self._attempts, self._name = ctx, attempts, name

    def transact(self, work: Callable[[Any], Any]) -> Any:
        def counted(uow: Any) -> Any:
            self._attempts[self._name] = self._attempts.get(self._name, 0) + 1
            return work(uow)

        return self._ctx.transact(counted)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def test_a_group_whose_commit_fails_fails_every_request_as_transient_and_each_retry_commits(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)
    seen: list[int] = []

    def fail_second_commit(conn: Any) -> None:
        seen.append(1)
        if len(seen) == 2:  # the holder's group commits; the group of four fails
            # What a lost connection or a failed fsync looks like: the database refuses.
            conn.exec_driver_sql("SELECT * FROM no_such_table_so_the_commit_fails")

    attempts: dict[str, int] = {}

    def take(name: str) -> Callable[[Any], Any]:
        return lambda ctx: adjust(Counted(ctx, attempts, name), "NY", "TEA", -1)

    event.listen(onhand.engine, "commit", fail_second_commit)
    try:
        outcomes = in_one_group(onhand, {f"r{n}": take(f"r{n}") for n in range(4)})
    finally:
        event.remove(onhand.engine, "commit", fail_second_commit)
    # Each ran twice: in the group that failed, then again; and each succeeded once.
    assert attempts == {f"r{n}": 2 for n in range(4)}
    assert all(at_ny(outcome) == -1 for outcome in outcomes.values()), outcomes
    assert level(onhand, "TEA", "NY")[0] == 6
    assert services.integrity.verify(onhand).ok


def test_a_failed_commit_reaches_the_caller_as_transient_when_every_retry_fails(onhand):
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)

    def fail_commit(conn: Any) -> None:
        conn.exec_driver_sql("SELECT * FROM no_such_table_so_the_commit_fails")

    with onhand.grouping_writes() as grouped:
        event.listen(onhand.engine, "commit", fail_commit)
        try:
            with pytest.raises(TransientConflict):
                adjust(grouped, "NY", "TEA", -1)
        finally:
            event.remove(onhand.engine, "commit", fail_commit)
        adjust(grouped, "NY", "TEA", -1)
    assert level(onhand, "TEA", "NY")[0] == 9  # nothing of the failed attempts, the next one in


def test_locations_a_group_loaded_reach_the_process_cache_only_when_it_has_committed():
    shared = LocationCache()
    shared.put(1, ())
    group = GroupLocationCache(shared)
    assert group.get(1) == ()  # what is committed is read through
    places = (Location(id=9, code="LA", name="Los Angeles", kind=LocationKind.WAREHOUSE),)
    group.put(2, places)  # read at a version another request of the group raised
    assert group.get(2) == places and shared.get(2) is None
    group.publish()  # the group committed
    assert shared.get(2) == places


def test_a_statement_the_database_refuses_undoes_only_its_request_and_the_group_goes_on(onhand):
    """On PostgreSQL a refused statement spoils the whole transaction until its savepoint is
    rolled back to; a savepoint the request left open inside its own is rolled back first."""
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)

    def refused_inside_a_savepoint_left_open(ctx: Any) -> Any:
        def work(uow: Any) -> int:
            uow.connection.execute(text("UPDATE company SET name = 'spoiled'"))  # to be undone
            uow.connection.begin_nested()  # as a repository's attempt would, never closed
            uow.connection.execute(idempotency_keys.insert().values(scope=None))  # NOT NULL: refused
            return 0

        return in_transaction(ctx, work)

    outcomes = in_one_group(onhand, {
        "before": lambda ctx: services.adjustments.post_adjustment(ctx, adjustment("TEA", 2), idempotency_key="b"),
        "refused": refused_inside_a_savepoint_left_open,
        "after": lambda ctx: services.adjustments.post_adjustment(ctx, adjustment("TEA", -1), idempotency_key="a"),
    })

    assert isinstance(outcomes["refused"], Exception) and not isinstance(outcomes["refused"], TransientConflict)
    assert at_ny(outcomes["before"]) == 2 and at_ny(outcomes["after"]) == -1
    assert level(onhand, "TEA", "NY")[0] == 11
    assert services.integrity.verify(onhand).ok
    with onhand.reading() as uow:
        assert uow.connection.execute(text("SELECT name FROM company")).scalar() != "spoiled"


def test_on_postgresql_a_group_waits_briefly_for_a_row_lock_and_its_request_tries_again(onhand, monkeypatch):
    """Two server processes' groups that lock rows in opposite orders would hold each other until
    PostgreSQL's deadlock_timeout (1 s): a group's statement waits GROUP_LOCK_WAIT_MS at most,
    its request is rolled back to its savepoint (its locks let go) and tried again."""
    from onhand.adapters.db.database import GROUP_LOCK_WAIT_MS
    from onhand.services import context

    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no row lock to wait for")
    add_item(onhand, "TEA")
    add_place(onhand, "NY")
    adjust(onhand, "NY", "TEA", 10)
    retried: list[float] = []

    class Sleeps:  # `in_transaction`'s pauses before it tries a write again
        @staticmethod
        def sleep(seconds: float) -> None:
            retried.append(seconds)
            time.sleep(seconds)

    monkeypatch.setattr(context, "time", Sleeps)
    with onhand.grouping_writes() as grouped:
        assert grouped._group.run(onhand.actor, lambda uow: uow.connection.exec_driver_sql(
            "SHOW lock_timeout").scalar()) == f"{GROUP_LOCK_WAIT_MS}ms"
        with onhand.engine.connect() as holder:
            with holder.begin():
                holder.exec_driver_sql("SELECT on_hand FROM balances FOR UPDATE").all()  # every balance row
                waiting = grouped.call_in_group(lambda: adjust(grouped, "NY", "TEA", 1))
                time.sleep(2.5 * GROUP_LOCK_WAIT_MS / 1000)
                assert not waiting.done()
            posting = waiting.result(30)  # once the lock was let go

    assert retried  # it gave up on the lock at least once, and tried again
    assert posting.id is not None
    assert level(onhand, "TEA", "NY")[0] == 11
    assert services.integrity.verify(onhand).ok


# A write that changes no row: a group's statement that takes its turn (group_turn.py).
WRITE_NOTHING = "UPDATE company SET name = name WHERE 1 = 0"


def test_on_postgresql_the_groups_of_two_processes_take_turns_at_the_database(onhand, database_url):
    """Each server process has its own group writer; their groups, each several postings in one
    transaction, locked the same rows in different orders and deadlocked (docs/architecture.md,
    "Group commit in the server"). A group takes the database's group turn at its first statement
    that locks or writes, so two processes' groups write one after the other, as SQLite's one
    writer has them; what a group reads before runs beside the other's."""
    from onhand.bootstrap import open_onhand

    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    other = open_onhand(database_url)  # a second server process
    entered = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first(uow) -> None:
        uow.connection.exec_driver_sql(WRITE_NOTHING)
        order.append("first in")
        entered.set()
        release.wait(30)
        order.append("first out")

    def second(uow) -> None:
        uow.connection.execute(select(func.count()).select_from(postings)).scalar()
        order.append("second read")
        uow.connection.exec_driver_sql(WRITE_NOTHING)
        order.append("second wrote")

    try:
        with onhand.grouping_writes() as one, other.grouping_writes() as two:
            held = one.call_in_group(lambda: in_transaction(one, first))
            assert entered.wait(30)
            reading = two.call_in_group(lambda: in_transaction(two, lambda uow: "only read"))
            assert reading.result(10) == "only read"  # a group that only reads needs no turn
            waiting = two.call_in_group(lambda: in_transaction(two, second))
            time.sleep(0.3)  # the second process's group is waiting for the first's to end
            assert order == ["first in", "second read"] and not waiting.done()
            release.set()
            held.result(30)
            waiting.result(30)
    finally:
        release.set()
        other.close()
    assert order == ["first in", "second read", "first out", "second wrote"]


def written(uow: Any, name: str) -> str:
    uow.connection.exec_driver_sql(WRITE_NOTHING)
    return name


def test_on_postgresql_a_group_lets_go_of_its_turn_before_its_commit(onhand, database_url):
    """The next group, another process's, runs while this one's COMMIT is written to disk: the
    group that commits waits for no lock any more, so the two cannot hold each other."""
    from onhand.bootstrap import open_onhand

    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    other = open_onhand(database_url)  # a second server process
    committing = threading.Event()
    go_on = threading.Event()

    def hold_the_commit(conn: Any) -> None:  # before the first group's COMMIT reaches the database
        if threading.current_thread().name.startswith("onhand-writer") and not committing.is_set():
            committing.set()
            go_on.wait(30)

    event.listen(onhand.engine, "commit", hold_the_commit)
    try:
        with onhand.grouping_writes() as one, other.grouping_writes() as two:
            held = one.call_in_group(lambda: in_transaction(one, lambda uow: written(uow, "first")))
            assert committing.wait(30)
            second = two.call_in_group(lambda: in_transaction(two, lambda uow: written(uow, "second")))
            assert second.result(10) == "second" and not held.done()
            go_on.set()
            assert held.result(30) == "first"
    finally:
        go_on.set()
        event.remove(onhand.engine, "commit", hold_the_commit)
        other.close()


def advisory_locks(onhand, pid: int) -> int:
    """Advisory locks the database session `pid` holds (a group's turn, if it kept it)."""
    with onhand.engine.connect() as conn:
        return conn.exec_driver_sql(
            f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = {int(pid)}").scalar()


def test_on_postgresql_a_group_that_fails_lets_go_of_its_turn(onhand):
    """The turn is a session's lock, which a rollback keeps: a group that fails lets go of it, or
    closes its connection (lost), so no pooled connection keeps every other group waiting."""
    from onhand.adapters.db.database import SqlDatabase
    from onhand.adapters.db.group_turn import GROUP_TURN_KEY

    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    database = SqlDatabase(onhand.engine)
    with pytest.raises(ValueError), database.group_transaction() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        conn.exec_driver_sql(WRITE_NOTHING)
        assert advisory_locks(onhand, pid) == 1
        raise ValueError("a bug in the group")
    assert advisory_locks(onhand, pid) == 0  # its connection, back in the pool, keeps no turn

    with pytest.raises(TransientConflict), database.group_transaction() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        conn.exec_driver_sql(WRITE_NOTHING)
        with onhand.engine.connect() as killer:
            killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        conn.exec_driver_sql("SELECT 1")  # the connection is lost mid-group
    with onhand.engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({GROUP_TURN_KEY})").scalar()
        conn.exec_driver_sql(f"SELECT pg_advisory_unlock({GROUP_TURN_KEY})")
    with onhand.grouping_writes() as grouped:
        adjust_ok = grouped.call_in_group(lambda: in_transaction(grouped, lambda uow: "after")).result(30)
    assert adjust_ok == "after"


def test_on_postgresql_a_group_keeps_its_turn_through_a_rollback_to_a_savepoint(onhand):
    """A group taking its turn lazily takes it inside a request's savepoint: a transaction's lock
    would go with that savepoint's rollback, a session's stays; and the group's lock timeout,
    set outside, is what the rollback restores."""
    from onhand.adapters.db.database import GROUP_LOCK_WAIT_MS, SqlDatabase

    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    database = SqlDatabase(onhand.engine)
    with database.group_transaction() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        conn.execute(select(func.count()).select_from(postings)).scalar()
        assert advisory_locks(onhand, pid) == 0  # reads take no turn
        conn.exec_driver_sql("SAVEPOINT request")
        conn.exec_driver_sql(WRITE_NOTHING)
        assert advisory_locks(onhand, pid) == 1
        conn.exec_driver_sql("ROLLBACK TO SAVEPOINT request")
        assert advisory_locks(onhand, pid) == 1
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == f"{GROUP_LOCK_WAIT_MS}ms"
    assert advisory_locks(onhand, pid) == 0


def test_on_postgresql_the_turn_is_the_schemas_and_a_kept_turn_fails_the_group_not_hangs_it(
        onhand, monkeypatch):
    """Onhands in other schemas of the database take no turns with this one; and a turn that
    another session keeps (a stuck process) fails the group waiting for it, as retryable, once
    `TURN_WAIT_MS` has passed: it does not hang every writer."""
    from onhand.adapters.db import group_turn
    from onhand.adapters.db.database import SqlDatabase

    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    database = SqlDatabase(onhand.engine)
    monkeypatch.setattr(group_turn, "TURN_WAIT_MS", 300)
    with onhand.engine.connect() as elsewhere:
        elsewhere.exec_driver_sql("SET search_path TO public")  # another Onhand's schema
        try:
            with turn_kept_by(elsewhere), database.group_transaction() as conn:
                conn.exec_driver_sql(WRITE_NOTHING)
        finally:
            elsewhere.exec_driver_sql("RESET search_path")
            elsewhere.commit()

    with onhand.engine.connect() as stuck, turn_kept_by(stuck):
        started = time.monotonic()
        with pytest.raises(TransientConflict, match="lock"), database.group_transaction() as conn:
            conn.exec_driver_sql(WRITE_NOTHING)
        assert 0.25 < time.monotonic() - started < 5
    with database.group_transaction() as conn:  # and once let go of, the turn is there to take
        conn.exec_driver_sql(WRITE_NOTHING)


@pytest.mark.parametrize(("statement", "takes_the_turn"), [
    ("SELECT balances.on_hand FROM balances WHERE balances.item_id = %(item_id)s", False),
    ("SELECT on_hand FROM balances WHERE item_id = %s FOR UPDATE", True),
    ("SELECT cost_pools.id FROM cost_pools FOR NO KEY UPDATE OF cost_pools", True),
    ("SELECT items.id FROM items WHERE items.id = %s FOR KEY SHARE", True),
    ("SELECT pg_try_advisory_xact_lock(%s, %s)", True),
    ("  insert INTO postings (kind) VALUES (%s)", True),
    ("UPDATE balances SET on_hand = on_hand + %s", True),
    ("DELETE FROM reservations WHERE id = %s", True),
    ("WITH moved AS (UPDATE balances SET reserved = 0 RETURNING id) SELECT id FROM moved", True),
    ("SAVEPOINT onhand_request", False),
    ("RELEASE SAVEPOINT onhand_request", False),
    ("ROLLBACK TO SAVEPOINT onhand_request", False),
    ("SET LOCAL lock_timeout = '100ms'", False),
    ("SHOW lock_timeout", False),
])
def test_a_group_takes_its_turn_at_its_first_statement_that_locks_or_writes(statement, takes_the_turn):
    from onhand.adapters.db.group_turn import locks

    assert locks(statement) is takes_the_turn
