"""Property-based: over random histories of postings, reservations, order and lot
status changes and item / location edits, the feed holds exactly one event per change,
ids grow, and a follower that runs at random moments sees every event exactly once —
and its availability table equals the stock report's available quantity."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation, SetLotStatus, UpdateItem, UpdateLocation
from onhand.domain.errors import Conflict
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.services.feed import availability
from onhand.services.feed.followers import Follower
from onhand.services.ledger.postings import StockLine
from onhand.services.orders.sales_orders import NewOrderLine
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.feed.settle import settle

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PLACES = ["A", "B"]
STOCK = [("W", None), ("T", "L1")]

operation = st.one_of(
    st.tuples(st.just("adjust"), st.sampled_from(PLACES), st.sampled_from(STOCK), st.integers(-3, 5)),
    st.tuples(st.just("order"), st.sampled_from(STOCK), st.integers(1, 4)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("lot"), st.sampled_from(["released", "quarantined"])),
    st.tuples(st.just("rename_item"), st.sampled_from(["W", "T"])),
    st.tuples(st.just("rename_place"), st.sampled_from(PLACES)),
    st.tuples(st.just("follow"), st.integers(1, 7)),
)


def new_events(onhand, after):
    settle(onhand)
    return services.events.events_after(onhand, after=after, limit=1000).events


def total_reserved(onhand):
    return sum((lv.reserved for lv in services.stock.stock_levels(onhand, group_by="bin").levels), Decimal(0))


def order_statuses(onhand, references):
    return {r: services.sales_orders.get_order(onhand, r).status for r in references}


def run(onhand, op, state):
    """Run `op`; the events it must have recorded besides reservations and order statuses
    (those are checked against the books: `check_promises`)."""
    kind = op[0]
    if kind == "adjust":
        _kind, place, (sku, lot), qty = op
        if qty == 0:
            return Counter()
        try:
            services.adjustments.post_adjustment(onhand, PostAdjustment(
                location=place, lines=[StockLine(sku, Decimal(qty), lot)], reason="found" if qty > 0 else "lost"))
        except Conflict:
            return Counter()
        return Counter({"posting.written": 1})
    if kind == "order":
        _kind, (sku, lot), qty = op
        order = services.sales_orders.create_order(
            onhand, CreateOrder(lines=[NewOrderLine(sku, Decimal(qty), lot=lot)]))
        services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
        state["orders"].append(order.reference)
        return Counter()
    if kind == "cancel":
        if state["orders"]:
            reference = state["orders"][op[1] % len(state["orders"])]
            if services.sales_orders.get_order(onhand, reference).status != "cancelled":
                services.sales_orders.cancel_order(onhand, OrderAction(reference))
        return Counter()
    if kind == "lot":
        before, state["lot"] = state["lot"], op[1]
        services.lots.set_lot_status(onhand, SetLotStatus(sku="T", code="L1", status=op[1]))
        return Counter({"lot.status_changed": 1} if before != op[1] else {})
    if kind == "rename_item":
        state["names"] += 1
        services.items.update_item(onhand, UpdateItem(op[1], name=f"{op[1]} {state['names']}"))
        return Counter({"item.changed": 1})
    if kind == "rename_place":
        state["names"] += 1
        services.locations.update_location(onhand, UpdateLocation(op[1], name=f"{op[1]} {state['names']}"))
        return Counter({"location.changed": 1})
    raise AssertionError(kind)


def check_promises(onhand, got, state, reserved_before):
    """Every reservation made or released is one event, and every order status change is
    one event whose `previous` is the status the feed last said."""
    made = sum((Decimal(e.body["quantity"]) for e in got if e.type == "reservation.made"), Decimal(0))
    released = sum((Decimal(e.body["quantity"]) for e in got if e.type == "reservation.released"), Decimal(0))
    assert made - released == total_reserved(onhand) - reserved_before, [(e.type, e.body) for e in got]
    for event in got:
        if event.type == "order.status_changed" and event.body["previous"] is None:
            state["ids"][event.body["order_id"]] = state["orders"][-1]  # the order this step created
        if event.type == "order.status_changed":
            order_id = event.body["order_id"]
            assert event.body["previous"] == state["said"].get(order_id) != event.body["status"], event.body
            state["said"][order_id] = event.body["status"]
    now = order_statuses(onhand, state["orders"])
    assert {r: state["said"].get(i) for i, r in state["ids"].items()} == now


def live(backend, ops):
    with fresh_database(backend) as url:
        onhand = open_onhand(url, clock=lambda: NOW)
        try:
            for place in PLACES:
                services.locations.create_location(onhand, CreateLocation(code=place, name=place, kind="warehouse"))
            services.items.create_item(onhand, CreateItem(sku="W", name="W", unit="each"))
            services.items.create_item(onhand, CreateItem(
                sku="T", name="T", unit="each", tracking="lot"))
            services.adjustments.post_adjustment(onhand, PostAdjustment(
                location="A", lines=[StockLine("T", Decimal(1), "L1")], reason="found"))
            state = {"orders": [], "lot": "released", "names": 0, "said": {}, "ids": {}}
            seen: list[int] = []
            probe = Follower("probe", lambda uow, batch: seen.extend(e.id for e in batch.events))
            last = new_events(onhand, 0)[-1].id
            for op in ops:
                if op[0] == "follow":
                    settle(onhand)
                    services.followers.run_batch(onhand, probe, batch_size=op[1])
                    services.followers.run_batch(onhand, availability.FOLLOWER, batch_size=op[1])
                    continue
                reserved_before = total_reserved(onhand)
                expected = run(onhand, op, state)
                got = new_events(onhand, last)
                promises = {"reservation.made", "reservation.released", "order.status_changed"}
                others = Counter(e.type for e in got if e.type not in promises)
                assert others == expected, (op, [(e.type, e.body) for e in got])
                check_promises(onhand, got, state, reserved_before)
                assert all(e.id > last for e in got) and [e.id for e in got] == sorted(e.id for e in got)
                last = got[-1].id if got else last
            settle(onhand)
            services.followers.run_until_idle(onhand, probe)
            services.followers.run_until_idle(onhand, availability.FOLLOWER)
            every = [e.id for e in new_events(onhand, 0)]
            assert seen == every  # each exactly once, in the feed's order
            held = {(c.item_id, c.location_id): c.available
                    for c in services.availability_feed.availability_changes(onhand, limit=1000)}
            ids = {sku: services.items.get_item(onhand, sku).id for sku in ("W", "T")}
            places = {p.code: p.id for p in services.locations.list_locations(onhand)}
            for level in services.stock.stock_levels(onhand, group_by="bin").levels:
                key = (ids[level.sku], places[level.location])
                assert held.get(key, Decimal(0)) == level.available, (level, held)
        finally:
            onhand.close()


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation, min_size=3, max_size=20))
def test_random_histories_record_one_event_per_change_and_followers_see_each_once(backend, ops):
    live(backend, ops)
