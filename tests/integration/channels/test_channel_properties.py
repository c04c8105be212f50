"""The channel's law, over random interleavings of Shopify orders (re-delivered at random),
cancellations, receipts, syncs and stand-in failures (throttling, 5xx, lost answers):
once the worker drains, the shop holds for every mapping exactly what Onhand says is
available there, and no Shopify order was imported twice."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.channels.commands import MapSku
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.channels.shop import Clock, deliver, drain, empty_inbox, sample, stocked_shop
from tests.integration.helpers import adjust, level
from tests.integration.orders.test_order_concurrency import race
from tests.shopify_stand_in import shopify_stand_in

SKUS = ("IPOD2008GREEN", "IPOD2008BLACK")
ITEM_IDS = {"IPOD2008GREEN": "70", "IPOD2008BLACK": "71"}

operation = st.one_of(
    st.tuples(st.just("order"), st.integers(0, 5), st.sampled_from(SKUS), st.integers(1, 4)),
    st.tuples(st.just("redeliver"), st.integers(0, 5)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.integers(1, 5)),
    st.tuples(st.just("sync")),
    st.tuples(st.just("fail"), st.sampled_from(("throttled", "500", "lost"))),
)


def order_body(number: int, sku: str, quantity: int, *, cancelled: bool = False) -> dict:
    body = sample(id=1000 + number, updated_at=f"2026-03-30T10:{number:02d}:00-05:00")
    line = body["line_items"][SKUS.index(sku)]
    line.update(quantity=quantity, id=50_000 + number)
    body["line_items"] = [line]
    if cancelled:
        body.update(cancelled_at="2026-03-31T10:00:00-05:00", updated_at=f"2026-03-31T10:{number:02d}:00-05:00")
    return body


def sold(stand_in, sku: str, quantity: int, *, back: bool = False) -> None:
    with stand_in.lock:
        where = (ITEM_IDS[sku], "487838322")
        if where in stand_in.levels:
            stand_in.levels[where] += quantity if back else -quantity


def run(backend: str, ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as directory, shopify_stand_in() as (stand_in, url), \
            fresh_database(backend) as database:
        clock = Clock(datetime.now(UTC))
        onhand = open_onhand(database, clock=clock)
        try:
            stocked_shop(onhand, Path(directory), endpoint=url)
            for sku, item in ITEM_IDS.items():
                services.channels.map_sku(onhand, MapSku("shop-us", sku, external_item_id=item))
            sent: dict[int, tuple[str, int]] = {}
            cancelled: set[int] = set()
            for events, op in enumerate(ops):
                if op[0] == "order" and op[1] not in sent:
                    sent[op[1]] = (op[2], op[3])
                    sold(stand_in, op[2], op[3])  # the shop counts the sale itself, as Shopify does
                    deliver(onhand, order_body(op[1], *sent[op[1]]), event_id=f"e-{events}")
                elif op[0] == "redeliver" and op[1] in sent:
                    deliver(onhand, order_body(op[1], *sent[op[1]]), topic="orders/updated", event_id=f"e-{events}")
                elif op[0] == "cancel" and op[1] in sent and op[1] not in cancelled:
                    cancelled.add(op[1])
                    sold(stand_in, *sent[op[1]], back=True)
                    deliver(onhand, order_body(op[1], *sent[op[1]], cancelled=True), topic="orders/cancelled",
                            event_id=f"e-{events}")
                elif op[0] == "receive":
                    adjust(onhand, "NY", op[1], op[2])
                elif op[0] == "sync":
                    drain(onhand)
                elif op[0] == "fail":
                    stand_in.fail_next(op[1])
                clock.now += timedelta(seconds=1)
            stand_in.failures.clear()
            clock.now += timedelta(days=1)  # every backoff has passed
            drain(onhand)
            # Onhand's word, from its stock report (NY with its bins), against the shop's.
            available = {(ITEM_IDS[sku], "487838322"): level(onhand, sku, "NY")[2] for sku in SKUS}
            assert {k: Decimal(v) for k, v in stand_in.levels.items()} == available
            orders = services.sales_orders.list_orders(onhand, channel="shop-us", limit=1000)
            assert sorted(o.external_id for o in orders) == sorted(str(1000 + n) for n in sent)
        finally:
            onhand.close()


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(4), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@example(ops=[("receive", "IPOD2008GREEN", 4), ("order", 0, "IPOD2008GREEN", 4), ("sync",),
              ("order", 3, "IPOD2008GREEN", 4), ("receive", "IPOD2008GREEN", 4)])  # a sale and a receipt cancel out
@given(ops=st.lists(operation, min_size=3, max_size=12))
def test_after_draining_the_shop_holds_onhands_availability_and_no_order_came_twice(backend, ops) -> None:
    run(backend, ops)


# Each Shopify order: (SKU, first quantity, the quantities of later edits, cancelled at the end).
shop_order = st.tuples(st.sampled_from(SKUS), st.integers(1, 3), st.lists(st.integers(1, 3), max_size=3), st.booleans())


def _deliveries(orders: list[tuple], rnd) -> list[tuple[str, dict]]:
    """Each order's deliveries in the order Shopify sent them (created, edited, cancelled),
    the orders' interleaved at random."""
    queues = []
    for number, (sku, first, edits, cancel) in enumerate(orders):
        sent = [("orders/create", order_body(number, sku, first))]
        for hour, quantity in enumerate(edits, start=11):
            body = order_body(number, sku, quantity)
            body["updated_at"] = f"2026-03-30T{hour}:{number:02d}:00-05:00"
            sent.append(("orders/updated", body))
        if cancel:
            sent.append(("orders/cancelled", order_body(number, sku, ([first, *edits])[-1], cancelled=True)))
        queues.append(sent)
    merged = []
    while any(queues):
        merged.append(rnd.choice([q for q in queues if q]).pop(0))
    return merged


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(4), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(orders=st.lists(shop_order, min_size=1, max_size=12), rnd=st.randoms(use_true_random=False))
def test_workers_side_by_side_apply_each_orders_deliveries_once_and_in_order(backend, orders, rnd) -> None:
    """Two workers drain the inbox at the same time (threads on their own connections; on
    PostgreSQL side by side, a turn per Shopify order): every order is imported once, ends
    as its last delivery says (its last edit, or cancelled), and the shop holds Onhand's
    availability."""
    with tempfile.TemporaryDirectory() as directory, shopify_stand_in() as (stand_in, url), \
            fresh_database(backend) as database:
        onhand = open_onhand(database)
        try:
            stocked_shop(onhand, Path(directory), endpoint=url)
            for sku, item in ITEM_IDS.items():
                services.channels.map_sku(onhand, MapSku("shop-us", sku, external_item_id=item))
                adjust(onhand, "NY", sku, 20)
            sent = _deliveries(orders, rnd)
            for event, (topic, body) in enumerate(sent):
                deliver(onhand, body, topic=topic, event_id=f"e-{event}")

            processed = race(lambda _n: empty_inbox(onhand, limit=10), threads=2)
            assert sum(processed) == len(sent)  # each delivery processed once
            drain(onhand)
            imported = services.sales_orders.list_orders(onhand, channel="shop-us", limit=1000)
            assert sorted(int(o.external_id) for o in imported) == [1000 + n for n in range(len(orders))]
            for number, (sku, first, edits, cancel) in enumerate(orders):
                order = services.sales_orders.find_order(onhand, channel="shop-us", external_id=str(1000 + number))
                if cancel:
                    assert order.status == "cancelled"
                else:
                    assert [(line.sku, line.quantity) for line in order.lines] == [(sku, [first, *edits][-1])]
            available = {(ITEM_IDS[sku], "487838322"): level(onhand, sku, "NY")[2] for sku in SKUS}
            assert {k: Decimal(v) for k, v in stand_in.levels.items()} == available
        finally:
            onhand.close()
