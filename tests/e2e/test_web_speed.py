"""How long each page takes the server, measured from the test side through real HTTP
(the median of repeated requests), on SQLite: the item page of an item with 10,000
movements in its history must answer in under 100 ms."""

from __future__ import annotations

import statistics
import time

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from tests.e2e.web_client import add_user

MOVES = 10_000
REPEATS = 15
TARGET_MS = 100.0
PAGES = ("/", "/items", "/items?q=BUSY", "/items/BUSY", "/receiving", "/receiving/PO-DEMO-1")


def median_ms(client, path: str) -> float:
    client.get(path)  # warm: templates compiled, caches filled
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_page_answers_fast_and_the_busy_item_page_under_100_ms(onhand, web_clients, record_property):
    services.demo.load_demo_data(onhand)
    services.items.create_item(onhand, CreateItem(sku="BUSY", name="An item with a long history", unit="each"))
    batch = onhand.limits.max_posting_lines
    for start in range(0, MOVES, batch):
        services.adjustments.post_adjustment(onhand, PostAdjustment(
            location="NY-A-01", reason="found", lines=[StockLine("BUSY", "1")] * min(batch, MOVES - start)))
    assert len(services.stock.movement_history(onhand, sku="BUSY", limit=1000)) == 1000
    client = web_clients.signed_in(add_user(onhand, "admin"))

    figures = {path: median_ms(client, path) for path in PAGES}
    for path, ms in figures.items():
        record_property(f"median_ms {path}", round(ms, 1))
    print("\nweb page medians (ms):", {path: round(ms, 1) for path, ms in figures.items()})
    assert figures["/items/BUSY"] < TARGET_MS, figures
