import threading

import pytest
from sqlalchemy import text

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.actors import api_key_actor, cli_actor
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.errors import IdempotencyConflict
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, level, move_count


@pytest.fixture
def ready(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    return onhand


def post(onhand, quantity, key):
    return services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY", lines=[StockLine("W-1", quantity)], reason="found"), idempotency_key=key
    )


def test_repeating_a_request_with_its_key_returns_the_first_result_and_posts_nothing(ready):
    first = post(ready, 5, "req-1")
    again = post(ready, 5, "req-1")
    assert again == first
    assert level(ready, "W-1")[0] == 5 and move_count(ready) == 1


def test_reusing_a_key_for_a_different_request_is_a_conflict(ready):
    post(ready, 5, "req-1")
    with pytest.raises(IdempotencyConflict):
        post(ready, 6, "req-1")
    assert level(ready, "W-1")[0] == 5


def test_creating_an_item_twice_with_one_key_creates_it_once(ready):
    first = services.items.create_item(ready, CreateItem(sku="NEW", name="New"), idempotency_key="item-1")
    again = services.items.create_item(ready, CreateItem(sku="NEW", name="New"), idempotency_key="item-1")
    assert first == again


def test_concurrent_repeats_of_one_request_post_once(ready):
    results, errors = [], []

    def send():
        try:
            results.append(post(ready, 1, "same-key"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.id for r in results}) == 1
    assert level(ready, "W-1")[0] == 1


# --- scope (per caller) and expiry ------------------------------------------------------


def test_another_callers_use_of_the_same_key_is_its_own_request(ready):
    shop, warehouse = ready.acting_as(api_key_actor(1, "shop")), ready.acting_as(api_key_actor(2, "wms"))
    first = post(shop, 5, "order-1001")
    # The same string from another key neither returns the first key's posting…
    other = post(warehouse, 5, "order-1001")
    assert other.id != first.id
    # …nor blocks it: a different request under the same string is no conflict there.
    post(warehouse, 7, "order-1002")
    post(ready.acting_as(api_key_actor(3, "script")), 6, "order-1002")
    assert post(shop, 5, "order-1001") == first
    assert level(ready, "W-1")[0] == 5 + 5 + 7 + 6


def test_the_cli_and_the_system_have_their_own_scopes(ready):
    system = post(ready, 1, "k")
    alice = post(ready.acting_as(cli_actor("alice")), 1, "k")
    assert system.id != alice.id
    assert post(ready.acting_as(cli_actor("alice")), 1, "k") == alice


def test_a_repeat_after_the_idempotency_ttl_is_a_new_request(ready, clock):
    first = post(ready, 1, "daily")
    clock.advance(hours=23, minutes=59)
    assert post(ready, 1, "daily") == first
    clock.advance(minutes=1)
    again = post(ready, 2, "daily")  # expired: no conflict, and it posts
    assert again.id != first.id
    assert level(ready, "W-1")[0] == 3


def test_expired_records_of_a_caller_are_purged_by_its_next_write(ready, clock):
    for number in range(3):
        post(ready, 1, f"old-{number}")
    clock.advance(hours=25)
    post(ready, 1, "new")
    with ready.engine.connect() as conn:
        kept = conn.execute(text("SELECT key FROM idempotency_keys ORDER BY key")).scalars().all()
    assert kept == ["new"]


def test_the_ttl_comes_from_the_settings(database_url, monkeypatch, clock):
    monkeypatch.setenv("ONHAND_IDEMPOTENCY_TTL_HOURS", "1")
    onhand = open_onhand(database_url, clock=clock)
    try:
        add_item(onhand, "W-1")
        add_place(onhand, "NY")
        first = post(onhand, 1, "hourly")
        clock.advance(hours=1)
        assert post(onhand, 1, "hourly").id != first.id
    finally:
        onhand.close()
