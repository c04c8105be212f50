"""What the figures were measured on: the machine, the interpreter, peak memory."""

from __future__ import annotations

import os
import platform
import resource
import sys


def machine_line() -> str:
    cores = os.cpu_count() or 0
    return f"machine: {cores} cores, {platform.platform()}, {platform.processor() or platform.machine()}"


def python_line() -> str:
    return f"python: {platform.python_implementation()} {platform.python_version()}"


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load_line() -> str:
    """The load average, since other work on the machine changes the figures."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average: unknown"
    return f"load average (1, 5, 15 min): {one:.2f}, {five:.2f}, {fifteen:.2f}"


def machine_cpu_seconds() -> tuple[float, float] | None:
    """(busy, all) CPU seconds of the whole machine since it booted, every core summed, from
    /proc/stat (Linux; None elsewhere): what a run cost in all, the database server's and the
    clients' included, and whether the cores were the limit (busy near all)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = [int(field) for field in fields[1:9]]  # user nice system idle iowait irq softirq steal
    per_second = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / per_second, sum(ticks) / per_second


def machine_cpu_line(before: tuple[float, float] | None, after: tuple[float, float] | None, count: int) -> str:
    """The machine's CPU between two readings: busy share of its cores, and per one of `count`."""
    if before is None or after is None or after[1] <= before[1] or count <= 0:
        return "the machine's CPU: unknown"
    busy, total = after[0] - before[0], after[1] - before[1]
    return (f"the machine's CPU {busy / total:.0%} busy, {busy / count * 1000:.2f} ms per request "
            f"(every process's: the database server's too)")
