"""The servers the HTTP benchmark measures, each with a way to read the CPU it has used.

- `in_process`: uvicorn in a thread of the benchmark's own process, serving `create_app`
  as `onhand serve` does with one process (start-up heap frozen, app warmed up, a log line
  per request written as it writes them, into a file); its CPU is
  this process's (the clients run in a process of their own, `http_clients.py`).
- `server_processes`: `onhand serve --processes N` as a child process (uvicorn's
  supervisor and its N server processes); its CPU is summed over the supervisor and every
  child of it from /proc/<pid>/stat (user + system time), read while they live, so
  before and after a timed run.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from onhand.bootstrap import Onhand, checkpoints_in_background
from onhand.entrypoints.api.app import create_app
from onhand.entrypoints.cli.server_processes import SERVE_LOG_FORMAT
from onhand.entrypoints.heap import freeze_start_up_heap
from onhand.entrypoints.start_up import warm_up

START_TIMEOUT_S = 120


@dataclass(frozen=True)
class Server:
    url: str
    cpu_seconds: Callable[[], float]  # the server's CPU so far
    counted: str  # how: said in the report


@contextmanager
def _logging_as_served() -> Iterator[None]:
    """Logging as `onhand serve` sets it up (INFO, a line per request), into a file of its own
    rather than the benchmark's output: without it the request log's lines cost nothing here."""
    root = logging.getLogger()
    level = root.level
    with tempfile.TemporaryDirectory(prefix="onhand-bench-log-") as directory:
        handler = logging.FileHandler(Path(directory) / "serve.log")
        handler.setFormatter(logging.Formatter(SERVE_LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            yield
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
            handler.close()


@contextmanager
def in_process(onhand: Onhand, window: float | None) -> Iterator[Server]:
    """The API on `onhand` served by uvicorn in this process; writes group-committed with
    this window (None: a transaction per write)."""
    from tests.e2e.conftest import serve_api

    writer = onhand.group_writer(window=window) if window is not None else None
    target = onhand.writing_through(writer) if writer is not None else onhand
    try:
        app = create_app(target)
        warm_up(app)  # as `onhand serve` does before its first request
        # WAL checkpoints in their own thread on SQLite, as `onhand serve` has them (`serving`).
        with _logging_as_served(), checkpoints_in_background(onhand.engine), serve_api(app, lifespan="off") as url:
            freeze_start_up_heap()  # as `onhand serve` does once its app is built
            yield Server(url, time.process_time, "this process's CPU: the server's threads")
    finally:
        if writer is not None:
            writer.close()


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a live process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _family(pid: int) -> list[int]:
    """`pid` and its children (uvicorn's server processes, multiprocessing's resource tracker)."""
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _onhand_script() -> str:
    beside = Path(sys.executable).parent / "onhand"
    return str(beside) if beside.exists() else (shutil.which("onhand") or "onhand")


@contextmanager
def server_processes(database_url: str, processes: int, *, group_commit: str, cpus: str = "off") -> Iterator[Server]:
    """`onhand serve --processes N --cpus C --no-worker` on `database_url` (ONHAND_GROUP_COMMIT
    as given: on or off) until the block ends; SIGTERM stops it."""
    port = _free_port()
    env = {**os.environ, "ONHAND_GROUP_COMMIT": group_commit, "NO_COLOR": "1"}
    env.pop("ONHAND_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="onhand-bench-serve-") as directory:
        log = Path(directory) / "serve.log"
        with log.open("w") as written:
            process = subprocess.Popen(
                [_onhand_script(), "--database-url", database_url, "serve", "--port", str(port),
                 "--processes", str(processes), *(("--cpus", cpus) if cpus != "off" else ()), "--no-worker"],
                stdout=written, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while log.read_text().count("Application startup complete.") < processes:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"onhand serve --processes {processes} did not start:\n{log.read_text()}")
                time.sleep(0.1)
            family = _family(process.pid)

            def cpu_seconds() -> float:
                return sum(_cpu_of(pid) for pid in family)

            if processes > 1:
                counted = (f"summed over the supervisor and its {len(family) - 1} children ({processes} serving) "
                           "from /proc/<pid>/stat")
            else:
                counted = "the onhand serve process's, from /proc/<pid>/stat"
            yield Server(f"http://127.0.0.1:{port}", cpu_seconds, counted)
        finally:
            from tests.e2e.conftest import stop_process

            stop_process(process)
