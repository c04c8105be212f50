"""Property-based: over random interleavings of Amazon orders (new, repeated, cancelled),
stock arriving and leaving, and pushes that Amazon sometimes fails, once the worker drains
the quantity the stand-in holds equals Onhand's availability at the DEFAULT location, and
no order was imported twice."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.adapters.channels.amazon.client import AmazonClient
from onhand.bootstrap import open_onhand
from onhand.domain.errors import InsufficientStock
from onhand.services.channels.amazon_orders import apply_amazon_order
from onhand.services.channels.amazon_pushes import queue_amazon_quantities, send_amazon_quantities
from onhand.services.feed import availability
from onhand.services.feed.followers import run_until_idle
from tests.amazon_stand_in import amazon_stand_in
from tests.conftest import Clock
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.channels.amazon_helpers import amazon_order, amazon_shop
from tests.integration.channels.test_amazon_sync import CREDENTIALS
from tests.integration.feed.settle import settle
from tests.integration.helpers import adjust, level

order_no = st.integers(0, 4)
operation = st.one_of(
    st.tuples(st.just("order"), order_no, st.integers(1, 4), st.sampled_from(["Pending", "Unshipped"])),
    st.tuples(st.just("cancel"), order_no),
    st.tuples(st.just("receive"), st.integers(1, 5)),
    st.tuples(st.just("lose"), st.integers(1, 5)),
    st.tuples(st.just("push"), st.booleans()),  # True: Amazon fails this push (five 503s)
)


def _drain(onhand, client):
    settle(onhand)
    run_until_idle(onhand, availability.FOLLOWER)
    queue_amazon_quantities(onhand, "amz-us")
    return send_amazon_quantities(onhand, "amz-us", client)


def live(backend, ops):
    clock = Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with fresh_database(backend) as url, \
            amazon_stand_in() as (stand_in, state):
        onhand = open_onhand(url, clock=clock)
        client = AmazonClient(stand_in, CREDENTIALS, lwa_url=f"{stand_in}/auth/o2/token", sleep=lambda _s: None)
        try:
            amazon_shop(onhand)
            sizes: dict[int, int] = {}
            for op in ops:
                if op[0] == "order":
                    _, n, qty, status = op
                    qty = sizes.setdefault(n, qty)  # an order's lines are what Amazon first said
                    apply_amazon_order(onhand, "amz-us", amazon_order(
                        order_id=f"111-000000{n}-0000001", status=status, lines=(("MUG-AMZ", qty, None),)))
                elif op[0] == "cancel":
                    apply_amazon_order(onhand, "amz-us", amazon_order(
                        order_id=f"111-000000{op[1]}-0000001", status="Canceled", lines=()))
                elif op[0] == "receive":
                    adjust(onhand, "NY", "MUG", op[1])
                elif op[0] == "lose":
                    with contextlib.suppress(InsufficientStock):  # more than is free there
                        adjust(onhand, "NY", "MUG", -op[1], reason="lost")
                else:
                    if op[1]:
                        state.faults += [("/listings/", 503, {})] * 5
                    _drain(onhand, client)
                    state.faults.clear()
                clock.advance(seconds=1)
            clock.advance(hours=2)  # every backoff has passed
            _drain(onhand, client)
            available = level(onhand, "MUG", "NY")[2]
            assert state.quantities.get("MUG-AMZ") == int(available)
            imported = services.sales_orders.list_orders(onhand, channel="amz-us", limit=100)
            assert sorted(o.external_id for o in imported) == sorted(f"111-000000{n}-0000001" for n in sizes)
        finally:
            client.close()
            onhand.close()


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(4), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=3, max_size=15))
def test_after_the_worker_drains_amazon_holds_the_available_quantity_and_orders_are_unique(backend, ops):
    live(backend, ops)
