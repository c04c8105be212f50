import threading

import pytest

from onhand import services
from onhand.domain.errors import IdempotencyConflict
from onhand.services.postings import StockLine
from tests.integration.helpers import add_item, add_place, level, move_count


@pytest.fixture
def ready(onhand):
    add_item(onhand, "W-1")
    add_place(onhand, "NY")
    return onhand


def post(onhand, quantity, key):
    return services.adjustments.post_adjustment(
        onhand, location="NY", lines=[StockLine("W-1", quantity)], reason="found", idempotency_key=key
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
    first = services.items.create_item(ready, sku="NEW", name="New", idempotency_key="item-1")
    again = services.items.create_item(ready, sku="NEW", name="New", idempotency_key="item-1")
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
