"""Concurrent requests through the real server: stock never goes below zero."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.e2e.conftest import ApiKeys, ClientFactory


@pytest.mark.usefixtures("api_stocked")
def test_two_concurrent_relocations_of_most_of_the_stock_cannot_both_win(
    api_client_for: ClientFactory, api_keys: ApiKeys
) -> None:
    # Given 10 TEA-1 at NY, when two clients each move 6 out at the same moment …
    clients = [api_client_for(api_keys.operator) for _ in range(2)]
    body = {"source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": "6"}]}
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def relocate(client: httpx.Client) -> None:
        barrier.wait()
        statuses.append(client.post("/api/v1/relocations", json=body).status_code)

    threads = [threading.Thread(target=relocate, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # … then exactly one is posted and the other is refused for insufficient stock.
    assert sorted(statuses) == [201, 409]
    levels = clients[0].get("/api/v1/stock", params={"sku": "TEA-1", "group_by": "bin"}).json()["levels"]
    assert {lv["location"]: lv["on_hand"] for lv in levels} == {"NY": "4", "LA": "6"}
    assert clients[0].get("/api/v1/verify").json()["ok"] is True
