"""`onhand serve --cpus`: every thread of a server process kept on one core, each process
on its own; a value that cannot be used refused before any work."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from onhand import services
from onhand.domain.access.commands import CreateApiKey
from tests.e2e.conftest import stop_process
from tests.e2e.test_cli_admin import installed_script
from tests.e2e.test_cli_serve_processes import (
    children,
    free_port,
    needs_postgres,
    on_postgres,
    on_sqlite,
    wait_until_started,
)

ALLOWED = tuple(sorted(os.sched_getaffinity(0)))
needs_two_cores = pytest.mark.skipif(len(ALLOWED) < 2, reason="needs two cores to tell processes apart")


def cores_of_threads(pid: int) -> set[frozenset[int]]:
    """The set of cores each thread of `pid` may run on."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.add(frozenset(os.sched_getaffinity(int(task.name))))
        except ProcessLookupError:  # a thread gone meanwhile
            continue
    return found


def serving(database_url: str, port: int, log: Path, *args: str, env: dict[str, str] | None = None):
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("ONHAND_DATABASE_URL", None)
    with log.open("w") as written:
        return subprocess.Popen([installed_script(), "--database-url", database_url, "serve", "--port", str(port),
                                 "--no-worker", *args], stdout=written, stderr=subprocess.STDOUT, env=environment)


def read_stock(port: int, secret: str, times: int) -> None:
    """Requests whose endpoints run in the server's thread pool, so it starts its threads."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for _ in range(times):
            answer = client.get("/api/v1/stock", headers={"Authorization": f"Bearer {secret}"})
            assert answer.status_code == 200, answer.text


@on_sqlite
@pytest.mark.parametrize(("args", "env", "core"), [
    (("--cpus", "auto"), None, ALLOWED[-1]),
    ((), {"ONHAND_SERVE_CPUS": str(ALLOWED[0])}, ALLOWED[0]),
], ids=["auto", "from-the-environment"])
def test_one_server_process_keeps_every_thread_on_one_core(database_url, onhand, tmp_path, args, env, core):
    secret = services.keys.create_api_key(onhand, CreateApiKey(name="reader", role="viewer")).secret
    port = free_port()
    log = tmp_path / "serve.log"
    process = serving(database_url, port, log, *args, env=env)
    try:
        wait_until_started(process, log, 1)
        read_stock(port, secret, 20)

        assert cores_of_threads(process.pid) == {frozenset({core})}
        assert len(list(Path(f"/proc/{process.pid}/task").iterdir())) > 2  # the pool's threads too
    finally:
        stop_process(process)


@on_sqlite
def test_without_cpus_the_kernel_places_the_server(database_url, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    process = serving(database_url, port, log)
    try:
        wait_until_started(process, log, 1)

        assert cores_of_threads(process.pid) == {frozenset(ALLOWED)}
    finally:
        stop_process(process)


@needs_postgres
@needs_two_cores
@on_postgres
def test_each_of_several_server_processes_is_kept_on_a_core_of_its_own(database_url, onhand, tmp_path):
    secret = services.keys.create_api_key(onhand, CreateApiKey(name="reader", role="viewer")).secret
    port = free_port()
    log = tmp_path / "serve.log"
    process = serving(database_url, port, log, "--processes", "2", "--cpus", "auto")
    try:
        wait_until_started(process, log, 2)
        read_stock(port, secret, 40)
        servers = [pid for pid in children(process.pid)
                   if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]

        placed = [cores_of_threads(pid) for pid in servers]
        # Every thread of a process on the same single core, and the two processes on the last two.
        assert all(len(threads) == 1 and len(next(iter(threads))) == 1 for threads in placed), placed
        assert sorted(min(next(iter(threads))) for threads in placed) == sorted(ALLOWED[-2:])
        assert cores_of_threads(process.pid) == {frozenset(ALLOWED)}  # the supervisor is left alone
    finally:
        stop_process(process)


@pytest.mark.parametrize(("value", "reason"), [
    ("9999", "core 9999 is not one this process may run on"),
    ("2-1", "the range 2-1 runs backwards"),
    ("some", "'some' is not a core number or a range such as 2-3"),
])
def test_serve_refuses_cpus_it_cannot_use_before_any_work(cli_run, monkeypatch, value, reason):
    assert cli_run("serve", "--cpus", value).exit_code == 2
    monkeypatch.setenv("ONHAND_SERVE_CPUS", value)

    result = cli_run("serve")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: Invalid value for '--cpus': ")
    assert reason in result.stderr
