"""The performance targets of the sales-orders issue, for the 2-core CI machine."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.timing import PhaseResult


@dataclass(frozen=True)
class Target:
    code: str  # the phase it judges
    backend: str  # the database it is set for: "sqlite" or "postgresql"
    rate: float  # at least this many per second
    text: str

    def verdict(self, result: PhaseResult, *, oversold: int = 0) -> str:
        """`target O1 (...): met (1220/s, 122 % of 1000/s)` or `NOT MET (...)`."""
        met = result.rate >= self.rate and oversold == 0
        shown = f"{result.rate:.0f}/s, {result.rate / self.rate:.0%} of {self.rate:.0f}/s"
        if oversold:
            shown += f", {oversold} oversold"
        return f"target {self.code} ({self.text}): {'met' if met else 'NOT MET'} ({shown})"


SINGLE_LINE_ON_SQLITE = Target(
    "O1", "sqlite", 1000, "at least 1000 single-line orders allocated and shipped per second on SQLite"
)
RESERVATIONS_ON_POSTGRES = Target(
    "R16", "postgresql", 500, "at least 500 reservations per second, 16 concurrent PostgreSQL clients, no oversell"
)
