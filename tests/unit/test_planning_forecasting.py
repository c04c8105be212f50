"""Forecasting demand beyond moving averages: the method is judged on history held back from
it, beside the moving average; exponential smoothing comes from statsmodels (an optional
extra), imported only when asked for."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

import pytest

from onhand.adapters.forecasting import smoothing
from onhand.domain.errors import InvalidInput, MissingExtra
from onhand.domain.planning.forecasting import (
    DemandMethod,
    check_window,
    daily_series,
    explode_series,
    forecast,
    held_back_days,
    parse_demand_method,
)

D = Decimal
# A textbook trend: 10 units on the first day, half a unit more each day, for 90 days.
TREND = [10 + 0.5 * day for day in range(90)]


def refuse(history, horizon):
    raise AssertionError("no fit was needed")


def test_smoothing_beats_the_moving_average_on_a_trend_held_back():
    judged = forecast(TREND, DemandMethod.EXPONENTIAL_SMOOTHING, smoothing.holt_damped)

    assert judged.held_back_days == 28
    # The moving average of the first 62 days is 25.25 a day; the 28 days held back
    # average 47.75 and all lie above it, so its error is 47.75 - 25.25.
    assert judged.moving_average_error == D("22.5")
    assert judged.error is not None and judged.error < D(1)
    # Fitted to all 90 days, the next 28 continue the trend (55 and on; damped a little).
    assert D(50) < judged.daily < D(62)


def test_the_moving_average_is_judged_the_same_way_and_forecasts_the_window_average():
    judged = forecast(TREND, DemandMethod.MOVING_AVERAGE, refuse)

    assert judged.daily == D("32.25")  # 10 + 0.5 × 44.5
    assert judged.error == judged.moving_average_error == D("22.5")


def test_a_flat_history_needs_no_fit_and_a_short_window_holds_back_a_third():
    judged = forecast([2.0] * 12, DemandMethod.EXPONENTIAL_SMOOTHING, refuse)

    assert (judged.daily, judged.held_back_days, judged.error) == (D(2), 4, D(0))
    assert held_back_days(90) == 28 and held_back_days(42) == 14 and held_back_days(2) == 0


def test_a_forecast_never_goes_below_zero_a_day():
    falling = [50 - 2.0 * day for day in range(30)]  # would cross zero within 28 days

    judged = forecast(falling, DemandMethod.EXPONENTIAL_SMOOTHING, smoothing.holt_damped)

    assert judged.daily >= 0


def test_an_unknown_method_names_the_field_and_the_choices():
    with pytest.raises(InvalidInput) as refused:
        parse_demand_method("holt")

    assert refused.value.field == "demand_method"
    assert "moving_average, exponential_smoothing" in refused.value.reason
    with pytest.raises(InvalidInput, match="window_days"):
        check_window(DemandMethod.EXPONENTIAL_SMOOTHING, 13)
    check_window(DemandMethod.MOVING_AVERAGE, 1)


def test_daily_series_fills_days_without_demand_with_zero():
    first = date(2026, 3, 1)

    assert daily_series({date(2026, 3, 2): D(3), date(2026, 3, 9): D(1)}, first, 4) == [0.0, 3.0, 0.0, 0.0]


def test_an_assemblys_daily_demand_is_passed_down_to_its_components():
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)

    exploded = explode_series({1: {monday: D(2)}, 2: {tuesday: D(5)}}, {1: [(2, D("1.5")), (3, D(2))], 3: [(4, D(1))]})

    assert exploded == {1: {monday: D(2)}, 2: {monday: D(3), tuesday: D(5)}, 3: {monday: D(4)}, 4: {monday: D(4)}}


def test_without_statsmodels_smoothing_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(smoothing, "_loaded", [])
    monkeypatch.setitem(sys.modules, "statsmodels", None)
    monkeypatch.setitem(sys.modules, "statsmodels.tsa", None)

    with pytest.raises(MissingExtra) as missing:
        smoothing.load()

    assert missing.value.field == "demand_method"
    assert "pip install 'onhand[forecast]'" in missing.value.reason
