"""Where a one-item read runs (`bodies.one_read`): on SQLite, with a pooled connection idle,
on the server's event loop (a few statements, all CPU: cheaper than a hand-off to a thread
and back); a listing, and every read on PostgreSQL (a round trip per statement), in a
thread as any endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from onhand import services
from onhand.adapters.db.read_turns import on_event_loop
from onhand.bootstrap import Onhand


@pytest.fixture
def where_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(service, on an event loop) of every call of the services the reads use."""
    seen: list[tuple[str, bool]] = []

    def spy(module: Any, name: str) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def noted(*args: Any, **kwargs: Any) -> Any:
            seen.append((name, on_event_loop()))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, noted)

    spy(services.stock, "stock_levels")
    spy(services.items, "get_item")
    spy(services.sales_orders, "get_order")
    spy(services.postings, "get_posting")
    spy(services.items, "find_by_gtin")
    spy(services.bundles, "bundle_availability")
    spy(services.locations, "get_location")
    spy(services.lots, "get_lot")
    spy(services.sales_orders, "find_order")
    return seen


@pytest.mark.usefixtures("api_stocked")
def test_one_item_reads_run_on_the_event_loop_on_sqlite_and_in_a_thread_on_postgresql(
    onhand: Onhand, api_viewer: httpx.Client, api_operator: httpx.Client, where_read: list[tuple[str, bool]]
) -> None:
    order = api_operator.post("/api/v1/orders", json={"lines": [{"sku": "TEA-1", "quantity": "1"}]})
    posting = api_operator.post("/api/v1/adjustments", json={
        "location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]})
    assert order.status_code == posting.status_code == 201
    where_read.clear()

    answers = [
        api_viewer.get("/api/v1/stock", params={"sku": "TEA-1", "location": "NY"}),
        api_viewer.get("/api/v1/stock"),  # every item's: a listing
        api_viewer.get("/api/v1/items/TEA-1"),
        api_viewer.get(f"/api/v1/orders/{order.json()['reference']}"),
        api_viewer.get(f"/api/v1/postings/{posting.json()['id']}"),
        api_viewer.get("/api/v1/items/NOPE"),  # a read that fails fails the same way
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 200, 404]
    assert answers[0].json()["levels"][0]["on_hand"] == "11"
    assert answers[5].json()["error"]["code"] == "not_found"
    sqlite = onhand.engine.dialect.name == "sqlite"
    assert where_read == [("stock_levels", sqlite), ("stock_levels", False), ("get_item", sqlite),
                          ("get_order", sqlite), ("get_posting", sqlite), ("get_item", sqlite)]


@pytest.mark.usefixtures("api_stocked")
def test_without_an_idle_connection_a_one_item_read_goes_to_a_thread(
    onhand: Onhand, api_viewer: httpx.Client, where_read: list[tuple[str, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Onhand, "reads_without_waiting", lambda _self: False)

    assert api_viewer.get("/api/v1/items/TEA-1").status_code == 200

    assert where_read == [("get_item", False)]


def test_a_scanners_and_a_shops_one_item_reads_run_on_the_event_loop_on_sqlite(
    onhand: Onhand, api_admin: httpx.Client, where_read: list[tuple[str, bool]]
) -> None:
    assert api_admin.post("/api/v1/locations", json={"code": "NY", "name": "New York", "kind": "warehouse"}
                          ).status_code == 201
    for body in ({"sku": "MUG", "name": "Mug", "gtin": "4006381333931"},
                 {"sku": "TEA", "name": "Tea", "tracking": "lot"},
                 {"sku": "STARTER", "name": "Starter kit", "kind": "bundle"}):
        assert api_admin.post("/api/v1/items", json=body).status_code == 201
    assert api_admin.post("/api/v1/adjustments", json={"location": "NY", "reason": "found", "lines": [
        {"sku": "MUG", "quantity": "4"}, {"sku": "TEA", "quantity": "3", "lot": "T1"}]}).status_code == 201
    assert api_admin.put("/api/v1/bundles/STARTER/components", json={"components": [
        {"sku": "MUG", "quantity": 2}, {"sku": "TEA", "quantity": 1}]}).status_code == 200
    assert api_admin.post("/api/v1/orders", json={"channel": "shopify", "external_id": "1001",
                                                  "lines": [{"sku": "MUG", "quantity": "1"}]}).status_code == 201
    where_read.clear()

    answers = [
        api_admin.get("/api/v1/items/by-gtin/4006381333931"),
        api_admin.get("/api/v1/bundles/STARTER/availability"),
        api_admin.get("/api/v1/locations/NY"),
        api_admin.get("/api/v1/items/TEA/lots/T1"),
        api_admin.get("/api/v1/orders/by-external-id/shopify/1001"),
    ]

    assert [answer.status_code for answer in answers] == [200] * 5, [answer.text for answer in answers]
    assert answers[0].json()["sku"] == "MUG"
    assert answers[1].json()["available"] == "2"
    sqlite = onhand.engine.dialect.name == "sqlite"
    assert where_read == [(name, sqlite) for name in (
        "find_by_gtin", "bundle_availability", "get_location", "get_lot", "find_order")]
