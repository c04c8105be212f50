"""Onhand: the operational source of truth for stock."""

__version__ = "0.1.0"
