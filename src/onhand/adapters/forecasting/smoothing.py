"""Exponential smoothing of daily demand by statsmodels (`pip install 'onhand[forecast]'`).

statsmodels is imported when a forecast is first asked for, never when Onhand starts, so
Onhand without it works and only the method that needs it says how to install it
(`MissingExtra`, naming the field that asked).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from types import ModuleType

from onhand.domain.errors import MissingExtra

_loaded: list[ModuleType] = []


def _holtwinters() -> ModuleType:
    if not _loaded:
        try:
            from statsmodels.tsa import holtwinters
        except ModuleNotFoundError as exc:
            if exc.name is None or exc.name.partition(".")[0] not in ("statsmodels", "numpy", "scipy", "pandas"):
                raise
            raise MissingExtra("demand_method", "exponential_smoothing (statsmodels)", "forecast") from None
        _loaded.append(holtwinters)
    return _loaded[0]


def load() -> Callable[[Sequence[float], int], list[float]]:
    """`holt_damped`, its library imported now: MissingExtra('demand_method') when absent."""
    _holtwinters()
    return holt_damped


def holt_damped(history: Sequence[float], horizon: int) -> list[float]:
    """Holt's linear trend method with a damped trend (additive errors), its smoothing and
    damping parameters and initial level and trend fitted to `history` by maximum
    likelihood; the forecast of each of the next `horizon` days."""
    holtwinters = _holtwinters()
    with warnings.catch_warnings():
        # A short or intermittent series may stop the optimiser early (ConvergenceWarning):
        # the fit it reached is still the best found, and its error is reported anyway.
        warnings.simplefilter("ignore")
        model = holtwinters.ExponentialSmoothing(
            [float(v) for v in history], trend="add", damped_trend=True, initialization_method="estimated")
        return [float(v) for v in model.fit().forecast(horizon)]
