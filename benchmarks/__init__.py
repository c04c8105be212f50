"""Benchmarks of Onhand through its public service layer.

`python -m benchmarks.standard_workload` runs the standard workload defined in
shared `benchmarks.md` (W0-W4) and prints one line per phase; `python -m
benchmarks.orders` measures sales orders (allocate and ship, and 16 clients racing
for the same stock on PostgreSQL) against the issue's targets. Nothing here reaches
below `onhand.services` for a business action: the figures are what a user's
requests would see, one action per transaction.
"""
