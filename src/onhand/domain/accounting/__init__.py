"""Accounting settings, the daily summary journals, their exports and pushes, reconciliation."""
