"""Numerical forecasting libraries behind the domain's `Forecaster` (optional: `onhand[forecast]`)."""
