"""Repositories: the only code that reads and writes tables, one per concept."""
