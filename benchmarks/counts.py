"""How much of each thing the standard workload does at a given scale."""

from __future__ import annotations

from dataclasses import dataclass

# Scale 1, as benchmarks.md defines it.
ITEMS = 1_000
LOCATIONS = 10
RECEIPTS = 10_000
TRANSFERS = 5_000
PICKS = 10_000
QUERIES = 10_000


@dataclass(frozen=True)
class WorkloadCounts:
    items: int
    locations: int
    receipts: int
    transfers: int
    picks: int
    queries: int


def counts_for(scale: float) -> WorkloadCounts:
    """Every count times `scale`, rounded, with the least that still makes a workload.

    Two items (one lot-tracked, one not) and two locations (a transfer needs another
    place to go) are the minimum; every phase does at least one action.
    """
    if scale <= 0:
        raise ValueError("scale must be greater than zero")

    def scaled(count: int, least: int = 1) -> int:
        return max(least, round(count * scale))

    return WorkloadCounts(
        items=scaled(ITEMS, 2),
        locations=scaled(LOCATIONS, 2),
        receipts=scaled(RECEIPTS),
        transfers=scaled(TRANSFERS),
        picks=scaled(PICKS),
        queries=scaled(QUERIES),
    )
