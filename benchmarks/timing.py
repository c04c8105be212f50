"""Timing a phase and printing its figure the one way benchmarks.md shows."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class PhaseResult:
    code: str  # "W1"
    title: str  # "lot receipts"
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")

    def line(self) -> str:
        """`W1 lot receipts: 10000 in 1.23 s = 8130/s`."""
        return f"{self.code} {self.title}: {self.count} in {self.seconds:.2f} s = {self.rate:.0f}/s"


class Stopwatch:
    """Accumulates wall-clock time of the timed parts of a phase only."""

    def __init__(self) -> None:
        self.seconds = 0.0

    @contextmanager
    def running(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start


class CallClocks:
    """One stopwatch per service call of a compound action (e.g. create, allocate, ship)."""

    def __init__(self, *calls: str) -> None:
        self._watches = {call: Stopwatch() for call in calls}

    def running(self, call: str) -> AbstractContextManager[None]:
        return self._watches[call].running()

    @property
    def seconds(self) -> float:
        return sum(watch.seconds for watch in self._watches.values())

    def per_action(self, count: int) -> str:
        """`create_order 1.02 ms + allocate_order 1.61 ms` per action, on average."""
        return " + ".join(
            f"{call} {watch.seconds / max(count, 1) * 1000:.2f} ms" for call, watch in self._watches.items()
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank); 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
