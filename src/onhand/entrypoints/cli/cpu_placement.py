"""`onhand serve --cpus`: each server process kept on one core.

A server process runs Python, which holds one lock (the GIL) around all its threads, so it
can use one core at most. Left to the kernel, its threads do not stay on one: the event
loop hands a request to a pool thread, which wakes on the other, idle core, and every
object both touch (their reference counts are written at each use) moves between the
two cores' caches. On this project's 2-core machine that made each request's Python run
35-50 % slower than on one core: a stock read over HTTP cost 2.0 ms of CPU left alone and
0.9-1.0 ms kept on one core (`benchmarks/README.md`, "Figures: 2026-12-07").

So a server process can be pinned, every thread of it, to one core: `auto` gives each
process one of the cores it may run on, from the last (kernels and other programs tend to
start on the first); a list (`2`, `0,2-3`) gives process i the list's i-th core, in turn
when there are more processes than cores. Off by default: independent processes pinned
without knowing of each other could all land on the same core, and the kernel could no
longer move them off a busy one. So it is for a host that runs Onhand's server alone
(docs/architecture.md, "One core per server process").
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

OFF = "off"
AUTO = "auto"
MAX_SPEC = 200  # characters of a --cpus value


class CpuSpecError(ValueError):
    """A --cpus value that cannot be used, with the reason."""


def can_pin() -> bool:
    """Whether this system lets a process choose its cores (Linux does; macOS does not)."""
    return hasattr(os, "sched_setaffinity")


def allowed_cores() -> tuple[int, ...]:
    """The cores this process may run on, in order."""
    return tuple(sorted(os.sched_getaffinity(0)))


def parse_cpus(text: str, allowed: tuple[int, ...]) -> tuple[int, ...]:
    """The cores of a --cpus value, process i taking the i-th in turn; () for `off`."""
    spec = text.strip().lower()
    if len(spec) > MAX_SPEC:
        raise CpuSpecError(f"at most {MAX_SPEC} characters")
    if spec in ("", OFF):
        return ()
    if spec == AUTO:
        return tuple(reversed(allowed))
    cores: list[int] = []
    for part in spec.split(","):
        first, dash, last = part.strip().partition("-")
        try:
            low, high = int(first), int(last if dash else first)
        except ValueError:
            raise CpuSpecError(f"{part.strip()!r} is not a core number or a range such as 2-3; "
                               f"use off, auto or a list such as 0,2-3") from None
        if low > high:
            raise CpuSpecError(f"the range {low}-{high} runs backwards")
        for core in range(low, high + 1):
            if core not in allowed:
                raise CpuSpecError(f"core {core} is not one this process may run on "
                                   f"({', '.join(map(str, allowed))})")
            if core not in cores:
                cores.append(core)
    return tuple(cores)


def core_of(index: int, cores: tuple[int, ...]) -> int:
    """The core of the index-th server process."""
    return cores[index % len(cores)]


def pin_process(pid: int, core: int) -> None:
    """Keep every thread of process `pid` on `core` (threads it starts later inherit it). A
    process or thread gone meanwhile is skipped."""
    try:
        threads = [int(entry.name) for entry in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return
    for thread in threads:
        try:
            if os.sched_getaffinity(thread) != {core}:
                os.sched_setaffinity(thread, {core})
        except (ProcessLookupError, PermissionError):
            continue


def placing_supervisor(cores: tuple[int, ...], base: type[Any]) -> Callable[..., Any]:
    """`base`, a uvicorn supervisor of server processes, placing each on its core: at the
    start, then at every check it makes (twice a second), so a replaced process is placed too
    and a thread a process started before it was placed is moved after it."""

    class PlacingMultiprocess(base):  # type: ignore[misc,valid-type]
        def init_processes(self) -> None:
            super().init_processes()
            self.place()

        def keep_subprocess_alive(self) -> None:
            super().keep_subprocess_alive()
            self.place()

        def place(self) -> None:
            for index, process in enumerate(self.processes):
                if process.pid is not None:
                    pin_process(process.pid, core_of(index, cores))

    return PlacingMultiprocess
