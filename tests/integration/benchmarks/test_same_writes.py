"""The same-writes calibration runs exactly what Onhand ran: the copy ends as the database
did, and a copy that is not where Onhand started is caught."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from benchmarks import same_writes

from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.errors import InsufficientStock
from onhand.domain.ledger.commands import PostAdjustment, StockLine
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction, ShipOrder


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Onhand]:
    onhand = open_onhand(f"sqlite:///{tmp_path / 'onhand.db'}")
    services.locations.create_location(onhand, CreateLocation(code="WH", name="Warehouse", kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="LOT", name="Lotted", tracking="lot"))
    services.adjustments.post_adjustment(onhand, PostAdjustment(location="WH", reason="found", lines=[
        StockLine("LOT", Decimal(10), "A", unit_cost=Decimal("2.50"))]))
    yield onhand
    onhand.close()


def _orders(onhand: Onhand, count: int) -> None:
    for _ in range(count):
        order = services.sales_orders.create_order(
            onhand, CreateOrder(lines=[NewOrderLine("LOT", Decimal(1), location="WH")]))
        services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
        services.shipping.ship_order(onhand, ShipOrder(order.reference))


def _database(onhand: Onhand) -> Path:
    return Path(str(onhand.engine.url.database))


def test_orders_run_again_bare_leave_the_rows_onhand_left(shop: Onhand, tmp_path: Path) -> None:
    with same_writes.recording(shop.engine, tmp_path / "copy.db") as recorded:
        _orders(shop, 3)
        with pytest.raises(InsufficientStock):  # refused and rolled back: replayed as such
            services.adjustments.post_adjustment(shop, PostAdjustment(location="WH", reason="lost", lines=[
                StockLine("LOT", Decimal(-100), "A")]))

    bare = same_writes.replay(recorded, _database(shop))

    assert bare.same_rows
    assert bare.transactions == 3 * 3 + 1
    assert bare.statements == recorded.statements > 3 * 3 * 5
    assert bare.cpu_s > 0


def test_a_write_the_recording_missed_is_caught(shop: Onhand, tmp_path: Path) -> None:
    with same_writes.recording(shop.engine, tmp_path / "copy.db") as recorded:
        _orders(shop, 1)
    _orders(shop, 1)  # after the recording: the database holds more than the replay writes

    assert not same_writes.replay(recorded, _database(shop)).same_rows


def test_a_copy_taken_elsewhere_fails_to_replay(shop: Onhand, tmp_path: Path) -> None:
    with same_writes.recording(shop.engine, tmp_path / "copy.db") as recorded:
        _orders(shop, 1)
    with same_writes.recording(shop.engine, tmp_path / "copy.db"):  # a copy taken after the orders
        pass

    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        same_writes.replay(recorded, _database(shop))
