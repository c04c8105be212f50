"""Projected stock by day at a site, read from the database: on hand (bins rolled up) less
reservations and backorders on the order's ship date, plus purchase orders and inbound
transfers on their expected dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onhand import services
from onhand.bootstrap import open_onhand
from onhand.domain.orders.commands import CreateOrder, NewOrderLine, OrderAction
from onhand.domain.transfers.commands import CreateTransfer, NewTransferLine, ShipTransfer
from tests.databases import BACKENDS, fresh_database
from tests.hypothesis_profiles import examples
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.planning.helpers import rule
from tests.integration.purchasing_helpers import placed, supplier

TODAY = date(2026, 3, 2)


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def promise(onhand, quantity, ship_in_days, site="NY"):
    made = services.sales_orders.create_order(onhand, CreateOrder(
        lines=[NewOrderLine("W", Decimal(quantity), location=site)], requested_ship_date=day(ship_in_days)))
    return services.sales_orders.allocate_order(onhand, OrderAction(made.reference))


@pytest.fixture
def places(onhand):
    add_place(onhand, "NY")
    add_place(onhand, "NY-A1", kind="bin", parent="NY")
    add_place(onhand, "LA", kind="store")
    add_place(onhand, "OCEAN", kind="transit")
    add_item(onhand, "W")
    supplier(onhand, "ACME", lead_time_days=7)
    return onhand


def test_projection_replays_reservations_backorders_purchases_and_transfers_on_their_days(places):
    onhand = places
    adjust(onhand, "NY-A1", "W", 10)
    adjust(onhand, "LA", "W", 8)
    rule(onhand, "W", "NY", minimum=5)
    promise(onhand, 4, 1)  # reserved, ships tomorrow
    promise(onhand, 9, 2)  # 6 reserved, 3 on backorder
    placed(onhand, ("W", 20, "1"), expected_date=day(5))
    moving = services.transfer_orders.create_transfer(onhand, CreateTransfer(
        "LA", "NY", [NewTransferLine("W", Decimal(8))], expected_date=day(3)))
    services.transit.ship_transfer(onhand, ShipTransfer(moving.reference))

    projection = services.forecasts.projected_stock(onhand, sku="W", site_code="NY", days=7)

    assert [d.available for d in projection.days] == [10, 6, -3, 5, 5, 25, 25]
    assert projection.first_below_minimum == day(2)
    assert projection.first_stock_out == day(2)
    assert projection.position == 25
    la = services.forecasts.projected_stock(onhand, sku="W", site_code="LA", days=2)
    assert [d.available for d in la.days] == [0, 0]  # shipped: on the ocean, counted at NY


def test_projection_is_per_site_not_per_bin_or_transit(places):
    from onhand.domain.errors import InvalidInput

    with pytest.raises(InvalidInput, match="site"):
        services.forecasts.projected_stock(places, sku="W", site_code="NY-A1")
    with pytest.raises(InvalidInput, match="days"):
        services.forecasts.projected_stock(places, sku="W", site_code="NY", days=0)


documents = st.lists(
    st.tuples(st.sampled_from(["order", "purchase"]), st.integers(min_value=1, max_value=6),
              st.integers(min_value=-2, max_value=12)),
    min_size=1, max_size=5,
)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stock=st.integers(min_value=0, max_value=12), plan=documents, n=st.integers(min_value=0, max_value=13))
def test_projected_stock_on_day_n_equals_a_replay_of_the_documents_up_to_day_n(backend, stock, plan, n):
    with fresh_database(backend) as url:
        onhand = open_onhand(url, clock=lambda: datetime(2026, 3, 2, 9, tzinfo=UTC))
        try:
            add_place(onhand, "NY")
            add_item(onhand, "W")
            supplier(onhand, "ACME", lead_time_days=3)
            if stock:
                adjust(onhand, "NY", "W", stock)
            expected = Decimal(stock)
            for kind, quantity, when in plan:
                if kind == "order":
                    promise(onhand, quantity, when)  # reserved or backordered: both count
                else:
                    placed(onhand, ("W", quantity, "1"), expected_date=day(when))
                if max(when, 0) <= n:
                    expected += quantity if kind == "purchase" else -quantity
            projection = services.forecasts.projected_stock(onhand, sku="W", site_code="NY", days=14)
            assert projection.days[n].available == expected
        finally:
            onhand.close()
