"""Demand forecast by a method beyond moving averages, judged on held-back history, read from
the database (SQLite, and PostgreSQL when given). Today is 2026-03-02 (the test clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import UpdateCompany
from onhand.domain.errors import InvalidInput
from tests.integration.helpers import add_item, add_place, adjust
from tests.integration.planning.helpers import sell

TODAY = date(2026, 3, 2)
WINDOW = 30  # 10 days held back


@pytest.fixture
def trend(onhand, clock):
    """W sells 2 units at NY on the first day of the window and one more each day after."""
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 2000)
    for n in range(WINDOW):
        sell(onhand, clock, "NY", "W", 2 + n, TODAY - timedelta(days=WINDOW - n))
    return onhand


def test_smoothing_forecasts_a_trend_better_than_the_moving_average_on_held_back_days(trend):
    (row,) = services.forecasts.demand_history(trend, sku="W", window_days=WINDOW,
                                               demand_method="exponential_smoothing")

    assert (row.demand_method, row.held_back_days) == ("exponential_smoothing", 10)
    # The first 20 days average 11.5 a day; the 10 held back (22 … 31) average 26.5.
    assert row.moving_average_mean_absolute_error == Decimal(15)
    assert row.mean_absolute_error is not None and row.mean_absolute_error < Decimal(2)
    assert row.forecast_daily > Decimal(31)  # the trend goes on past the last day's 31
    assert (row.total, row.average_daily) == (Decimal(495), Decimal("16.5"))  # the history is unchanged


def test_the_default_is_the_moving_average_as_before(trend):
    (row,) = services.forecasts.demand_history(trend, sku="W", window_days=WINDOW)

    assert row.demand_method == "moving_average"
    assert row.forecast_daily == row.average_daily == Decimal("16.5")
    assert row.mean_absolute_error == row.moving_average_mean_absolute_error == Decimal(15)


def test_an_unknown_method_is_one_error_naming_the_field(onhand):
    add_item(onhand, "W")

    with pytest.raises(InvalidInput) as refused:
        services.forecasts.demand_history(onhand, sku="W", demand_method="arima")

    assert refused.value.field == "demand_method"
    with pytest.raises(InvalidInput) as short:
        services.forecasts.demand_history(onhand, sku="W", window_days=7, demand_method="exponential_smoothing")
    assert short.value.field == "window_days"


def test_smoothing_fits_at_most_so_many_item_sites_at_once(onhand, clock, monkeypatch):
    from onhand.services.planning import forecasts

    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 10)
    sell(onhand, clock, "NY", "W", 1, TODAY - timedelta(days=1))
    monkeypatch.setattr(forecasts, "MAX_SMOOTHED", 0)

    with pytest.raises(InvalidInput, match="at most 0 at once"):
        services.forecasts.demand_history(onhand, window_days=WINDOW, demand_method="exponential_smoothing")


def test_demand_counts_the_company_s_days_not_utc_days(onhand, clock):
    """In Auckland (UTC+13 in March) a shipment at noon UTC is on the next local day: the
    window of the last 7 whole days (local 23 Feb - 1 Mar) holds the one shipped at noon UTC
    on 22 Feb and not the one shipped at noon UTC on 1 Mar (2 Mar, today, locally)."""
    services.company.update_company(onhand, UpdateCompany(timezone="Pacific/Auckland"))
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 100)
    sell(onhand, clock, "NY", "W", 3, date(2026, 2, 22))
    sell(onhand, clock, "NY", "W", 5, date(2026, 3, 1))
    sell(onhand, clock, "NY", "W", 7, date(2026, 2, 21))  # 22 Feb locally: before the window
    (row,) = services.forecasts.demand_history(onhand, sku="W", window_days=7)
    assert row.total == Decimal(3)


def test_the_demand_read_leaves_the_transaction_s_planner_settings_as_it_found_them(trend):
    """On PostgreSQL the demand statements run with their own planner settings (a custom
    plan, no hash aggregation), set locally and put back: later reads plan as usual."""
    if trend.engine.dialect.name != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")
    with trend.reading() as uow:
        show = uow.connection.exec_driver_sql
        before = [show(f"SHOW {name}").scalar() for name in ("plan_cache_mode", "enable_hashagg")]
        (row,) = services.forecasts.demand_history(trend, sku="W", window_days=WINDOW)
        assert row.total == Decimal(495)
        sums = uow.planning.demand(item_ids=None, since=datetime(2026, 1, 1, tzinfo=UTC),
                                   until=datetime(2026, 3, 2, tzinfo=UTC), utc_offset_minutes=0,
                                   sites={place.id: place.id for place in uow.locations.all()})
        assert sums and [show(f"SHOW {name}").scalar() for name in ("plan_cache_mode", "enable_hashagg")] == before
