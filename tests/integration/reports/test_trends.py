"""Stock over time and units shipped per day (services/reports/trends.py): the day each
move happened, relocations inside the company netting to nothing, days without moves
carrying the stock forward, the window's bounds."""

from datetime import date
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.errors import InvalidInput
from onhand.domain.ledger.commands import MoveStock
from onhand.domain.orders.commands import ShipOrder
from onhand.services.ledger.postings import StockLine
from tests.integration.helpers import add_item, add_place, adjust, allocated


@pytest.fixture
def history(onhand, clock):
    """2 March: 20 found in NY; 4 March: 5 move to LA (no change in all), 3 scrapped;
    5 March: 4 shipped to a customer."""
    add_item(onhand, "W")
    add_place(onhand, "NY")
    add_place(onhand, "LA", kind="store")
    adjust(onhand, "NY", "W", 20)
    clock.advance(days=2)
    services.relocations.move_stock(onhand, MoveStock(source="NY", destination="LA", lines=[StockLine("W", 5)]))
    adjust(onhand, "NY", "W", -3, reason="damaged")
    clock.advance(days=1)
    made = allocated(onhand, ("W", 4), customer="Ana")
    services.shipping.ship_order(onhand, ShipOrder(made.reference))
    clock.advance(days=1)  # today: 6 March
    return onhand


def test_stock_over_time_is_the_on_hand_at_the_end_of_each_day(history):
    figures = services.trends.stock_over_time(history, "W", days=7)
    assert [(f.day, f.quantity) for f in figures] == [
        (date(2026, 2, 28), 0), (date(2026, 3, 1), 0), (date(2026, 3, 2), 20), (date(2026, 3, 3), 20),
        (date(2026, 3, 4), 17), (date(2026, 3, 5), 13), (date(2026, 3, 6), 13)]
    assert figures[-1].quantity == services.stock.stock_levels(history, sku="W").levels[0].on_hand


def test_a_window_after_the_moves_starts_from_what_came_before(history):
    assert [f.quantity for f in services.trends.stock_over_time(history, "W", days=2)] == [13, 13]


def test_units_shipped_per_day_count_shipments_only(history):
    figures = services.trends.units_shipped_per_day(history, days=3)
    assert [(f.day, f.quantity) for f in figures] == [
        (date(2026, 3, 4), 0), (date(2026, 3, 5), Decimal(4)), (date(2026, 3, 6), 0)]


@pytest.mark.parametrize("days", [0, 367, True, "7"])
def test_the_window_is_one_day_to_a_year(history, days):
    with pytest.raises(InvalidInput) as refused:
        services.trends.stock_over_time(history, "W", days=days)
    assert refused.value.field == "days"
