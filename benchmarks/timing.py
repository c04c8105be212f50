"""Timing a phase and printing its figure the one way benchmarks.md shows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
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
