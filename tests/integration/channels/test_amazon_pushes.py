"""Merchant-fulfilled quantities reach Amazon equal to Onhand's availability at the
locations mapped to DEFAULT, coalesced, and retried when Amazon fails."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.adapters.channels.amazon.client import AmazonClient
from onhand.domain.channels.commands import MapLocation
from onhand.services.channels import amazon_pushes
from onhand.services.channels.amazon_orders import apply_amazon_order
from onhand.services.channels.amazon_pushes import (
    SendResult,
    queue_all_amazon_quantities,
    queue_amazon_quantities,
    send_amazon_quantities,
)
from onhand.services.feed import availability
from onhand.services.feed.followers import run_until_idle
from tests.amazon_stand_in import amazon_stand_in
from tests.integration.channels.amazon_helpers import amazon_order, amazon_shop
from tests.integration.channels.test_amazon_sync import CREDENTIALS
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_place, adjust, level


@pytest.fixture
def amazon():
    with amazon_stand_in() as (url, state):
        client = AmazonClient(url, CREDENTIALS, lwa_url=f"{url}/auth/o2/token", sleep=lambda _s: None)
        yield client, state
        client.close()


def _drain(onhand, client):
    settle(onhand)  # PostgreSQL: every event committed is visible to the follower
    run_until_idle(onhand, availability.FOLLOWER)
    queue_amazon_quantities(onhand, "amz-us")
    return send_amazon_quantities(onhand, "amz-us", client)


def test_quantities_pushed_equal_availability_at_the_merchant_locations(onhand, amazon) -> None:
    client, state = amazon
    amazon_shop(onhand)
    add_place(onhand, "NY-B1", kind="bin", parent="NY")
    adjust(onhand, "NY-B1", "MUG", 4)
    adjust(onhand, "NY", "CUP", 1)
    assert _drain(onhand, client).sent == 2
    # MUG: 10 at NY + 4 in its bin; FBA's 5 are Amazon's own and never pushed.
    assert state.quantities == {"MUG-AMZ": 14, "CUP": 1}
    apply_amazon_order(onhand, "amz-us", amazon_order(lines=(("MUG-AMZ", 3, "30.00"),)))
    adjust(onhand, "NY", "CUP", 2)
    adjust(onhand, "NY", "CUP", -1, reason="lost")
    _drain(onhand, client)
    assert state.quantities == {"MUG-AMZ": 11, "CUP": 2} == {
        "MUG-AMZ": int(level(onhand, "MUG", "NY")[2]), "CUP": int(level(onhand, "CUP", "NY")[2])}
    assert [sku for sku, _ in state.patches].count("CUP") == 2  # the burst of two changes: one push


def test_nothing_changed_sends_nothing_and_a_reconcile_sends_what_was_never_sent(onhand, amazon) -> None:
    client, state = amazon
    amazon_shop(onhand)
    _drain(onhand, client)
    before = len(state.patches)
    assert _drain(onhand, client).sent == 0
    assert len(state.patches) == before == 1  # CUP never had stock: nothing changed, nothing sent
    queue_all_amazon_quantities(onhand, "amz-us")  # reconcile: every mapped SKU, CUP's 0 included
    assert send_amazon_quantities(onhand, "amz-us", client).sent == 1
    queue_all_amazon_quantities(onhand, "amz-us")  # the same values again: already accepted
    assert send_amazon_quantities(onhand, "amz-us", client).sent == 0
    assert state.quantities == {"MUG-AMZ": 10, "CUP": 0}


def test_a_throttled_push_is_retried_and_a_failed_one_waits_then_goes(onhand, amazon, clock) -> None:
    client, state = amazon
    amazon_shop(onhand)
    state.faults.append(("/listings/", 429, {"x-amzn-RateLimit-Limit": "5.0"}))
    assert _drain(onhand, client) == SendResult(sent=1, failed=0)  # the 429 is waited out
    state.faults += [("/listings/", 503, {})] * 5
    adjust(onhand, "NY", "MUG", 1)
    assert _drain(onhand, client) == SendResult(sent=0, failed=1)  # five 503s: this push failed
    assert state.quantities == {"MUG-AMZ": 10}
    assert send_amazon_quantities(onhand, "amz-us", client).sent == 0  # not due yet: backoff
    clock.advance(seconds=31)
    assert send_amazon_quantities(onhand, "amz-us", client).sent == 1
    assert state.quantities == {"MUG-AMZ": 11}


def test_a_location_mapped_later_counts_after_a_reconcile(onhand, amazon) -> None:
    client, state = amazon
    amazon_shop(onhand)
    add_place(onhand, "LA")
    adjust(onhand, "LA", "MUG", 7)
    _drain(onhand, client)
    services.channels.map_location(onhand, MapLocation("amz-us", "LA", "DEFAULT"))
    queue_all_amazon_quantities(onhand, "amz-us")
    send_amazon_quantities(onhand, "amz-us", client)
    assert state.quantities["MUG-AMZ"] == 17


def test_many_quantities_go_as_one_json_listings_feed_marked_by_its_report(onhand, amazon, clock, monkeypatch) -> None:
    client, state = amazon
    amazon_shop(onhand)
    adjust(onhand, "NY", "CUP", 3)
    monkeypatch.setattr(amazon_pushes, "FEED_FROM", 2)
    state.invalid_skus.add("CUP")
    state.feed_polls = 2
    assert _drain(onhand, client) == SendResult(sent=1, failed=1)
    assert len(state.feeds) == 1 and state.patches == []  # one feed, no single patches
    assert state.quantities == {"MUG-AMZ": 10}
    state.invalid_skus.clear()
    clock.advance(seconds=31)
    assert send_amazon_quantities(onhand, "amz-us", client) == SendResult(sent=1, failed=0)  # one row: a patch
    assert state.quantities == {"MUG-AMZ": 10, "CUP": 3}
