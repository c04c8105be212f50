"""Replenishment and planning: reorder rules, demand from history, projected stock, suggestions, alerts."""
