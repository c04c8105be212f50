"""Replenishment and planning (docs/planning.md): reorder rules, demand, projected stock,
suggestions turned into drafts, alerts. Reads every area below it; writes only its own
rows, and documents through the purchasing and transfers services."""
