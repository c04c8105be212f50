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
from tests.integration.channels.shop import Clock, deliver, drain, sample, stocked_shop
from tests.integration.helpers import adjust, level
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
