"""Python's cyclic garbage collector, paused around work that builds many objects at once.

Reading 100,000 rules, balances and demand sums and planning each of them creates a few
hundred thousand tuples and records that all live to the end of the call; every 700
allocations the collector walks the young ones, and again and again the older ones, finding
nothing to free: 0.7 s of PL1's 3.2 s on SQLite. Reference counting still frees everything
as usual while paused; only cycles wait for the collector's next turn after it resumes.
The switch is the process's: another thread's work meanwhile runs without it too (harmless:
it resumes when the first pause ends, at worst early for a pause still running).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
