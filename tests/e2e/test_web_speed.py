"""How long each page takes the server, measured from the test side through real HTTP
(the median of repeated requests), on SQLite: the item page of an item with 10,000
movements in its history must answer in under 100 ms."""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.ledger.commands import PostAdjustment
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction
from onhand.services.ledger.postings import StockLine
from tests.e2e.web_client import add_user

MOVES = 10_000
REPEATS = 15
TARGET_MS = 100.0
PAGES = ("/", "/items", "/items?q=BUSY", "/items/BUSY", "/receiving", "/receiving/PO-DEMO-1", "/picking",
         "/picking/SO-WEB-1", "/counts", "/counts/NY-B-01", "/transfers", "/orders", "/orders/SO-WEB-1",
         "/purchase-orders", "/purchase-orders/PO-DEMO-1", "/labels", "/lots", "/lots/HONEY-350G/HN-101",
         "/locations/NY", "/users", "/waves", "/charts/stock-over-time?sku=BUSY",
         "/charts/stock-value",
         "/labels/item.pdf?sku=HONEY-350G&lot=HN-101&size=4x6", "/labels/item.pdf?sku=HONEY-350G&size=a4&copies=24",
         "/labels/bins.pdf?location=NY&size=2x1")


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
    lines = (NewOrderLine("HONEY-350G", Decimal(2), location="NY"), NewOrderLine("MUG-12OZ", Decimal(1), location="NY"))
    services.sales_orders.create_order(onhand, CreateOrder(lines=lines, reference="SO-WEB-1"))
    services.sales_orders.allocate_order(onhand, OrderAction("SO-WEB-1"))
    [moving] = services.transfer_orders.list_transfers(onhand, status="in_transit")
    client = web_clients.signed_in(add_user(onhand, "admin"))

    figures = {path: median_ms(client, path) for path in (*PAGES, f"/transfers/{moving.reference}")}
    for path, ms in figures.items():
        record_property(f"median_ms {path}", round(ms, 1))
    print("\nweb page medians (ms):", {path: round(ms, 1) for path, ms in figures.items()})
    assert figures["/items/BUSY"] < TARGET_MS, figures
