"""The heap a server starts with, set aside from the garbage collector.

A full collection walks every object the process holds. With Onhand's modules, tables and
compiled statements loaded that is about 280,000 objects, and on the 2-core machine each
full collection held every thread for 130-230 ms: the webhook benchmark's p99 (207 ms, and
99 ms with the start-up heap frozen). `gc.freeze()` after start-up moves those objects to a
generation the collector never walks, as Python's documentation suggests for servers; what
requests create later is collected as usual.
"""

from __future__ import annotations

import gc


def freeze_start_up_heap() -> None:
    """Call once the app is built, before the first request."""
    gc.collect()
    gc.freeze()
