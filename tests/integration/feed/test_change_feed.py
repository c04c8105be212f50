"""The change feed: one event per change, in the change's own transaction; followers
handle each event exactly once and resume after a failure without loss or repeat."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import SetLotStatus, UpdateItem
from onhand.domain.errors import InsufficientStock, InvalidInput
from onhand.domain.orders.commands import OrderAction
from onhand.services.feed import availability
from onhand.services.feed.followers import Batch, Follower
from onhand.services.feed.recorder import record
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place, adjust, allocated

ZERO = Decimal(0)


def all_events(onhand, after=0):
    settle(onhand)
    return services.events.events_after(onhand, after=after, limit=1000).events


def types(events):
    return [e.type for e in events]


def test_every_kind_of_change_lands_in_the_feed_once_with_its_actor(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    services.items.update_item(onhand, UpdateItem("W", name="Widget"))
    adjust(onhand, "NY", "W", 5)
    mark = all_events(onhand)[-1].id
    order = allocated(onhand, ("W", 2))

    made = all_events(onhand, after=mark)
    assert Counter(types(made)) == {"order.status_changed": 2, "reservation.made": 1}
    opened, allocated_now = (e.body for e in made if e.type == "order.status_changed")
    assert (opened["previous"], opened["status"]) == (None, "open")
    assert (allocated_now["previous"], allocated_now["status"]) == ("open", "allocated")
    reservation = next(e.body for e in made if e.type == "reservation.made")
    assert (reservation["quantity"], reservation["lot_id"]) == ("2", None)

    services.sales_orders.cancel_order(onhand, OrderAction(order.reference))
    cancelled = all_events(onhand, after=made[-1].id)
    assert Counter(types(cancelled)) == {"order.status_changed": 1, "reservation.released": 1}
    everything = all_events(onhand)
    assert types(everything)[:4] == ["location.created", "item.created", "item.changed", "posting.written"]
    posting = everything[3].body
    assert posting["kind"] == "adjustment" and len(posting["balances"]) == 2  # NY and the adjustment side
    assert {e.actor for e in everything} == {"system"}
    assert [e.id for e in everything] == sorted(e.id for e in everything)


def test_a_refused_write_leaves_no_event(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    before = all_events(onhand)
    with pytest.raises(InsufficientStock):
        adjust(onhand, "NY", "W", -3)
    assert all_events(onhand) == before


def test_a_lot_set_to_its_own_status_changes_nothing_and_records_nothing(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "T", tracking="lot")
    adjust(onhand, "NY", "T", 3, lot="L1")
    mark = all_events(onhand)[-1].id
    services.lots.set_lot_status(onhand, SetLotStatus(sku="T", code="L1", status="released"))
    assert all_events(onhand, after=mark) == ()
    services.lots.set_lot_status(onhand, SetLotStatus(sku="T", code="L1", status="quarantined"))
    (changed,) = all_events(onhand, after=mark)
    assert (changed.type, changed.body["previous"], changed.body["status"]) == (
        "lot.status_changed", "released", "quarantined")


def test_reading_after_an_unknown_event_or_too_many_is_refused(onhand):
    with pytest.raises(InvalidInput) as unknown:
        services.events.events_after(onhand, after=999)
    assert unknown.value.field == "after"
    with pytest.raises(InvalidInput) as many:
        services.events.events_after(onhand, limit=1001)
    assert many.value.field == "limit"
    with pytest.raises(InvalidInput) as kind:
        services.events.events_after(onhand, types=["posting.deleted"])
    assert kind.value.field == "type"


def test_the_availability_follower_keeps_what_stock_levels_say_is_available(onhand):
    add_place(onhand, "NY")
    add_place(onhand, "LA")
    add_item(onhand, "W")
    add_item(onhand, "T", tracking="lot")
    adjust(onhand, "NY", "W", 10)
    adjust(onhand, "LA", "W", 4)
    adjust(onhand, "NY", "T", 6, lot="L1")
    allocated(onhand, ("W", 3))
    services.lots.set_lot_status(onhand, SetLotStatus(sku="T", code="L1", status="quarantined"))

    settle(onhand)
    services.followers.run_until_idle(onhand, availability.FOLLOWER)

    held = {(c.item_id, c.location_id): c.available for c in services.availability_feed.availability_changes(
        onhand, limit=1000)}
    report = services.stock.stock_levels(onhand, group_by="bin")
    ids = {i.sku: i.id for i in (services.items.get_item(onhand, s) for s in ("W", "T"))}
    places = {p.code: p.id for p in services.locations.list_locations(onhand)}
    expected = {(ids[lv.sku], places[lv.location]): lv.available for lv in report.levels}
    assert held == expected
    assert expected[(ids["T"], places["NY"])] == 0  # quarantined


def test_availability_rows_change_only_when_their_value_does_and_carry_a_growing_version(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 10)
    settle(onhand)
    services.followers.run_until_idle(onhand, availability.FOLLOWER)
    (first,) = services.availability_feed.availability_changes(onhand)
    services.items.update_item(onhand, UpdateItem("W", name="Widget"))  # not a quantity: no change
    settle(onhand)
    services.followers.run_until_idle(onhand, availability.FOLLOWER)
    assert services.availability_feed.availability_changes(onhand, since=first.version) == []
    adjust(onhand, "NY", "W", -4)
    settle(onhand)
    services.followers.run_until_idle(onhand, availability.FOLLOWER)
    (second,) = services.availability_feed.availability_changes(onhand, since=first.version)
    assert (second.available, second.version > first.version) == (Decimal(6), True)


class Boom(Exception):
    pass


def test_a_follower_that_fails_mid_batch_keeps_nothing_and_resumes_without_loss_or_repeat(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    for _ in range(5):
        adjust(onhand, "NY", "W", 1)
    seen: list[int] = []
    fail = {"now": True}

    def handle(uow, batch: Batch):
        availability.handle(uow, batch)  # its own writes, in the batch's transaction
        if fail["now"]:
            raise Boom
        seen.extend(e.id for e in batch.events)

    follower = Follower(availability.NAME, handle)
    settle(onhand)
    with pytest.raises(Boom):
        services.followers.run_batch(onhand, follower, batch_size=3)
    assert services.availability_feed.availability_changes(onhand) == []  # rolled back with the position
    (status,) = services.followers.follower_status(onhand, {availability.NAME: follower})
    assert (status.position, status.handled, status.lag) == (0, 0, 7)

    fail["now"] = False
    settle(onhand)
    assert services.followers.run_until_idle(onhand, follower, batch_size=3) == 7
    assert seen == [e.id for e in all_events(onhand)]
    (status,) = services.followers.follower_status(onhand, {availability.NAME: follower})
    assert (status.position, status.handled, status.lag) == (seen[-1], 7, 0)
    (row,) = services.availability_feed.availability_changes(onhand)
    assert row.available == 5


def test_followers_running_at_once_never_handle_an_event_twice(onhand):
    add_place(onhand, "NY")
    add_item(onhand, "W")
    for _ in range(30):
        adjust(onhand, "NY", "W", 1)
    expected = sorted(e.id for e in all_events(onhand))
    committed: list[int] = []
    lock = threading.Lock()
    local = threading.local()

    def handle(uow, batch: Batch):
        local.pending = [e.id for e in batch.events]  # a retried transaction starts over

    follower = Follower("probe", handle)

    def worker():
        while True:
            step = services.followers.run_batch(onhand, follower, batch_size=4)
            if step.busy:
                continue
            if step.handled == 0:
                return
            with lock:
                committed.extend(local.pending)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(committed) == expected
    assert len(committed) == len(set(committed))


def test_an_event_whose_transaction_commits_later_never_appears_below_a_followers_position(onhand):
    """Given a transaction that takes an event id first and commits last (PostgreSQL: ids
    come from a sequence before commit), readers and followers wait for it."""
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers: id order is commit order")
    add_place(onhand, "NY")
    add_item(onhand, "W")
    mark = all_events(onhand)[-1].id
    seen: list[int] = []
    follower = Follower("probe", lambda uow, batch: seen.extend(e.id for e in batch.events))
    settle(onhand)
    services.followers.run_until_idle(onhand, follower)
    seen.clear()

    with onhand.writing() as slow:
        record(slow, "item.changed", {"item_id": 0, "sku": "SLOW"})
        slow.feed.flush()  # its id is taken now; it commits at the end of the block
        adjust(onhand, "NY", "W", 1)  # another transaction commits a larger id meanwhile
        # (no settling here: the slow transaction is open on purpose)
        assert services.events.events_after(onhand, after=mark).events == ()
        assert services.followers.run_until_idle(onhand, follower) == 0
    late = all_events(onhand, after=mark)  # settles: both committed, nothing else is older
    assert types(late) == ["item.changed", "posting.written"]
    assert late[0].id < late[1].id
    assert services.followers.run_until_idle(onhand, follower) == 2
    assert seen == [e.id for e in late]


def test_a_follower_held_by_another_transaction_is_skipped_not_waited_for(onhand):
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers queue: there is no second holder to skip")
    add_item(onhand, "W")
    follower = Follower("probe", lambda uow, batch: None)
    services.followers.run_batch(onhand, follower)  # enrolled (its row exists)
    settle(onhand)
    with onhand.writing() as holder:
        assert holder.followers.claim("probe", onhand.now()) is not None
        step = services.followers.run_batch(onhand, follower)
        assert (step.busy, step.handled) == (True, 0)
    assert services.followers.run_batch(onhand, follower).busy is False


def test_catch_up_waits_for_older_transactions_then_handles_what_committed_before_it(onhand):
    """An on-demand sync must include a change committed just before it, even while an
    older transaction elsewhere still hides it (PostgreSQL); `run_until_idle` would not."""
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("SQLite: committed is visible")
    add_place(onhand, "NY")
    add_item(onhand, "W")
    seen: list[str] = []
    follower = Follower("probe", lambda uow, batch: seen.extend(e.type for e in batch.events))
    settle(onhand)
    services.followers.run_until_idle(onhand, follower)
    seen.clear()
    started, release = threading.Event(), threading.Event()

    def older_transaction() -> None:
        with onhand.writing() as slow:
            record(slow, "item.changed", {"item_id": 0, "sku": "SLOW"})
            slow.feed.flush()  # holds an xid older than the adjustment's
            started.set()
            release.wait(10)

    thread = threading.Thread(target=older_transaction)
    thread.start()
    started.wait(10)
    adjust(onhand, "NY", "W", 1)
    assert services.followers.catch_up(onhand, follower, timeout=0) == 0  # hidden, gave up at once
    threading.Timer(0.3, release.set).start()
    assert services.followers.catch_up(onhand, follower) == 2
    thread.join()
    assert sorted(seen) == ["item.changed", "posting.written"]
