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
