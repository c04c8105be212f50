"""Forecasting daily demand, and the error of a method on history held back from it.

Two methods (`DemandMethod`):

- `moving_average` (the default): tomorrow's demand is the average of the window's days;
- `exponential_smoothing`: Holt's linear trend with a damped trend, fitted to the window's
  daily series by a numerical library. The domain only names the method and judges it: the
  fitting is a `Forecaster` the composition root hands the services (statsmodels, in
  `adapters/forecasting/`), so this module stays plain Python.

A method is judged the way forecasters judge one: the last `held_back_days` of the window
are hidden, the method is fitted to the days before them and forecasts the hidden days,
and the **mean absolute error** (MAE) of that forecast is its error; the moving average's
error on the same days is given beside it. Forecasts are daily quantities as floats (a
statistic, not a book); what planning then uses is rounded to six decimals as a `Decimal`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from onhand.domain.errors import InvalidInput
from onhand.domain.quantities import plain

# Days the judgement hides at the end of the window (a third of a shorter window).
HELD_BACK_DAYS = 28
# A window shorter than this leaves too few days to fit a trend to.
MIN_SMOOTHING_WINDOW = 14
# Days ahead the method's daily demand is averaged over (what planning uses per day).
FORECAST_DAYS = 28
_MICRO = Decimal("0.000001")

# (history of daily demand, days ahead) → forecast of each day ahead.
Forecaster = Callable[[Sequence[float], int], Sequence[float]]


class DemandMethod(StrEnum):
    MOVING_AVERAGE = "moving_average"
    EXPONENTIAL_SMOOTHING = "exponential_smoothing"


def parse_demand_method(value: object, field: str = "demand_method") -> DemandMethod:
    """The method named by `value` (text); an unknown one names the field and the choices."""
    try:
        return DemandMethod(value) if isinstance(value, str) else DemandMethod("")
    except ValueError:
        choices = ", ".join(m.value for m in DemandMethod)
        raise InvalidInput(field, f"must be one of {choices}") from None


def held_back_days(window_days: int) -> int:
    """Days hidden from the fit: 28, or a third of a window shorter than 84 days."""
    return min(HELD_BACK_DAYS, window_days // 3)


def check_window(method: DemandMethod, window_days: int, field: str = "window_days") -> None:
    if method is DemandMethod.EXPONENTIAL_SMOOTHING and window_days < MIN_SMOOTHING_WINDOW:
        raise InvalidInput(field, f"exponential smoothing needs a window of at least {MIN_SMOOTHING_WINDOW} days")


def daily_series(by_day: Mapping[date, Decimal], first: date, days: int) -> list[float]:
    """The window's days in order from `first`, a day without shipments as 0."""
    return [float(by_day.get(first + timedelta(days=n), 0)) for n in range(days)]


def moving_average(history: Sequence[float], horizon: int) -> list[float]:
    """The window's average, every day ahead."""
    level = sum(history) / len(history) if history else 0.0
    return [level] * horizon


def mean_absolute_error(forecast: Sequence[float], actual: Sequence[float]) -> float:
    return sum(abs(f - a) for f, a in zip(forecast, actual, strict=True)) / len(actual) if actual else 0.0


@dataclass(frozen=True)
class Forecast:
    """A method's daily demand ahead, and its error on the held-back days beside the
    moving average's (both None when the window is too short to hold any day back)."""

    method: DemandMethod
    daily: Decimal  # the average of the method's forecast over the next FORECAST_DAYS days
    held_back_days: int
    error: Decimal | None
    moving_average_error: Decimal | None


def forecast(history: Sequence[float], method: DemandMethod, smoothing: Forecaster) -> Forecast:
    """Judge `method` on the end of `history` (the window's daily demand), then forecast
    with it fitted to the whole window. Never below zero a day (demand net of returns
    may dip, a plan to stock may not)."""

    def fitted(days: Sequence[float], horizon: int) -> list[float]:
        if method is DemandMethod.MOVING_AVERAGE or len(set(days)) <= 1:
            return moving_average(days, horizon)  # a flat history is its own forecast
        return [max(0.0, float(v)) for v in smoothing(days, horizon)]

    hidden = held_back_days(len(history))
    error = ma_error = None
    if hidden > 0:
        train, actual = history[:-hidden], history[-hidden:]
        error = _short(mean_absolute_error(fitted(train, hidden), actual))
        ma_error = _short(mean_absolute_error(moving_average(train, hidden), actual))
    ahead = fitted(history, FORECAST_DAYS)
    return Forecast(method, _short(sum(ahead) / len(ahead)), hidden, error, ma_error)


def explode_series(
    direct: Mapping[int, Mapping[date, Decimal]], recipes: Mapping[int, Iterable[tuple[int, Decimal]]],
    depth_limit: int = 32,
) -> dict[int, dict[date, Decimal]]:
    """Each item's daily demand plus what its parents' daily demand needs of it (per unit,
    scrap included), at any depth: the daily form of `demand.explode`."""
    out: dict[int, dict[date, Decimal]] = {}

    def add(item: int, days: Mapping[date, Decimal], depth: int) -> None:
        if depth > depth_limit:
            raise ValueError(f"bill of materials of item {item} nests deeper than {depth_limit}")
        mine = out.setdefault(item, {})
        for day, quantity in days.items():
            mine[day] = mine.get(day, Decimal(0)) + quantity
        for component, per_unit in recipes.get(item, ()):
            add(component, {day: q * per_unit for day, q in days.items()}, depth + 1)

    for item, days in direct.items():
        add(item, days, 0)
    return out


def _short(number: float) -> Decimal:
    return plain(Decimal(repr(number)).quantize(_MICRO))
