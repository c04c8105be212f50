"""`onhand serve --processes N`: N server processes on one port for PostgreSQL, each
answering requests, all stopped by SIGTERM to the parent; refused on SQLite before any work."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from onhand import services
from onhand.domain.access.commands import CreateApiKey
from tests.databases import POSTGRES_URL
from tests.e2e.conftest import stop_process
from tests.e2e.test_cli_admin import installed_script

needs_postgres = pytest.mark.skipif(POSTGRES_URL is None, reason="needs ONHAND_TEST_DATABASE_URL")
on_postgres = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> set[int]:
    """The live processes whose parent is `pid` (from /proc/<pid>/stat)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def server_side_inode(server_port: int, client_port: int) -> str:
    """The inode of the server's end of the TCP connection from `client_port` (/proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1].split(":")[1], fields[2].split(":")[1]
        if int(local, 16) == server_port and int(remote, 16) == client_port:
            return fields[9]
    raise AssertionError(f"no server end of the connection from port {client_port}")


def answering_process(port: int, candidates: set[int]) -> int:
    """Ask /healthz over a new connection; which of `candidates` holds the server's end of it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: onhand\r\n\r\n")
        assert connection.recv(4096).startswith(b"HTTP/1.1 200 ")
        inode = server_side_inode(port, connection.getsockname()[1])
        holders = [pid for pid in candidates if inode in socket_inodes(pid)]
    assert len(holders) == 1, holders
    return holders[0]


def wait_until_started(process: subprocess.Popen, log: Path, processes: int) -> None:
    """Until each server process has said it is ready (uvicorn's line, once per process)."""
    deadline = time.monotonic() + 90
    while log.read_text().count("Application startup complete.") < processes:
        assert process.poll() is None, f"the server exited: {log.read_text()}"
        assert time.monotonic() < deadline, f"the server did not start in 90 s: {log.read_text()}"
        time.sleep(0.2)


def start_serving(database_url: str, port: int, log: Path) -> subprocess.Popen:
    """`onhand serve --processes 2` on `database_url` as a process of its own, once both
    server processes are ready."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ONHAND_DATABASE_URL", None)
    with log.open("w") as written:
        process = subprocess.Popen(
            [installed_script(), "--database-url", database_url, "serve", "--port", str(port), "--processes", "2"],
            stdout=written, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_started(process, log, 2)
    except BaseException:
        stop_process(process)
        raise
    return process


@needs_postgres
@on_postgres
def test_serve_with_two_processes_answers_from_both_and_stops_them_all_on_sigterm(database_url, onhand, tmp_path):
    secret = services.keys.create_api_key(onhand, CreateApiKey(name="reader", role="viewer")).secret
    port = free_port()
    log = tmp_path / "serve.log"
    process = start_serving(database_url, port, log)
    try:
        url = f"http://127.0.0.1:{port}"
        stock = httpx.get(f"{url}/api/v1/stock", headers={"Authorization": f"Bearer {secret}"}, timeout=10)
        assert stock.status_code == 200, stock.text
        assert httpx.get(f"{url}/api/v1/stock", timeout=10).status_code == 401
        serving = children(process.pid)
        answered = set()
        for _ in range(200):  # the kernel hands each new connection to whichever child accepts first
            answered.add(answering_process(port, serving | {process.pid}))
            if len(answered) == 2:
                break
        assert len(answered) == 2 and process.pid not in answered, answered

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, log.read_text()
    finally:
        stop_process(process)
    assert not [pid for pid in answered if Path(f"/proc/{pid}").exists()]  # every server process is gone
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/healthz", timeout=5)


@needs_postgres
@on_postgres
def test_server_processes_stop_by_themselves_when_their_parent_is_killed(database_url, tmp_path):
    port = free_port()
    process = start_serving(database_url, port, tmp_path / "serve.log")
    serving = children(process.pid)
    try:
        assert serving
        process.kill()  # SIGKILL: the parent cannot pass anything on
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in serving) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [pid for pid in serving if Path(f"/proc/{pid}").exists()]
    finally:
        stop_process(process)
    for pid in left:  # not to leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)


@on_sqlite
def test_serve_with_two_processes_on_sqlite_is_refused_and_serves_nothing(database_url):
    port = free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ONHAND_DATABASE_URL", None)

    refused = subprocess.run(
        [installed_script(), "--database-url", database_url, "serve", "--port", str(port), "--processes", "2"],
        capture_output=True, text=True, env=env, timeout=120, check=False)

    assert refused.returncode == 2
    assert refused.stderr == (
        "error: Invalid value for '--processes': SQLite has one writer at a time and its group commit lives in one "
        "process, so it is served by one process; more than one needs PostgreSQL "
        "(see 'onhand serve --help')\n")
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


@on_sqlite
def test_onhand_serve_processes_from_the_environment_is_refused_on_sqlite_too(cli_run, monkeypatch):
    monkeypatch.setenv("ONHAND_SERVE_PROCESSES", "2")

    result = cli_run("serve")

    assert result.exit_code == 2
    assert "'--processes'" in result.stderr and "SQLite" in result.stderr


@pytest.mark.parametrize(("processes", "reason"), [
    ("0", "greater than or equal to 1"), ("33", "less than or equal to 32"),
])
def test_serve_refuses_a_number_of_processes_out_of_range(cli_run, processes, reason):
    result = cli_run("serve", "--processes", processes)

    assert result.exit_code == 2
    assert result.stderr.startswith("error: Invalid value for '--processes'")
    assert reason in result.stderr


@pytest.fixture
def supervised(monkeypatch):
    """What the supervisor of the server processes was asked for, and whether the worker ran
    in this (the parent's) process meanwhile; nothing is served."""
    from onhand.entrypoints.cli import server

    seen: list[tuple[int, bool]] = []

    def run_processes(database_url, host, port, processes, cores=()):
        seen.append((processes, any(t.name == "onhand-worker" and t.is_alive() for t in threading.enumerate())))

    monkeypatch.setattr(server, "run_processes", run_processes)
    return seen


@needs_postgres
@on_postgres
def test_the_worker_of_several_processes_runs_once_in_the_parent_and_only_when_asked(cli_run, supervised):
    assert cli_run("serve", "--processes", "2").exit_code == 0
    assert cli_run("serve", "--processes", "3", "--worker").exit_code == 0

    assert supervised == [(2, False), (3, True)]
    assert not any(t.name == "onhand-worker" for t in threading.enumerate())  # stopped with the server


@needs_postgres
@on_postgres
def test_connections_made_at_once_are_spread_over_the_server_processes(database_url, tmp_path):
    port = free_port()
    process = start_serving(database_url, port, tmp_path / "serve.log")
    try:
        serving = children(process.pid)
        # Each server process listens on a socket of its own (SO_REUSEPORT), not on one shared
        # socket, whose first process to wake took every connection waiting.
        listening = {line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                     if int(line.split()[1].split(":")[1], 16) == port and line.split()[3] == "0A"}
        own = {pid: socket_inodes(pid) & listening for pid in serving}
        assert sorted(len(inodes) for inodes in own.values() if inodes) == [1, 1], own
        assert len(set().union(*own.values())) == 2, own
        # 32 clients connect at once, before any sends: the kernel spreads them over the sockets.
        connections = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(32)]
        holders = []
        for connection in connections:
            with connection:
                connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: onhand\r\n\r\n")
                assert connection.recv(4096).startswith(b"HTTP/1.1 200 ")
                inode = server_side_inode(port, connection.getsockname()[1])
                holders.append(next(pid for pid in serving if inode in socket_inodes(pid)))
    finally:
        stop_process(process)
    counts = sorted(holders.count(pid) for pid in set(holders))  # (the children: 2 serving, a resource tracker)
    assert len(counts) == 2 and counts[0] >= 4, counts  # all 32 on one: the kernel could not spread them


@needs_postgres
@on_postgres
@pytest.mark.usefixtures("api_stocked")
def test_two_server_processes_racing_writes_on_one_items_stock_neither_lose_nor_oversell(
    database_url, onhand, api_keys, tmp_path
):
    """Both processes' groups take their turn at the database only from their first statement
    that locks (adapters/db/group_turn.py): clients of both race adjustments (one key's, run
    together) and allocated orders (each alone) on the same 10 TEA-1 at NY."""
    clients, rounds = 16, 6
    port = free_port()
    process = start_serving(database_url, port, tmp_path / "serve.log")
    problems: list[str] = []
    found: list[int] = []
    lost: list[int] = []
    allocated: list[int] = []
    barrier = threading.Barrier(clients)

    def client_run(number: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          headers={"Authorization": f"Bearer {api_keys.operator}"}) as client:
            barrier.wait()
            for round_ in range(rounds):
                kind = (number + round_) % 3
                if kind == 2:
                    answer = client.post("/api/v1/orders", json={
                        "reference": f"SO-{number}-{round_}", "allocate": True,
                        "lines": [{"sku": "TEA-1", "quantity": "1"}]})
                    if answer.status_code != 201 or answer.json()["status"] not in ("allocated", "backordered"):
                        problems.append(f"order: {answer.status_code} {answer.text}")
                    elif answer.json()["status"] == "allocated":
                        allocated.append(1)
                    continue
                quantity = 1 if kind == 0 else -2
                answer = client.post("/api/v1/adjustments", json={
                    "location": "NY", "reason": "found" if quantity > 0 else "lost",
                    "lines": [{"sku": "TEA-1", "quantity": str(quantity)}]})
                if answer.status_code == 201:
                    (found if quantity > 0 else lost).append(1)
                elif quantity > 0 or answer.json().get("error", {}).get("code") != "insufficient_stock":
                    problems.append(f"adjustment {quantity}: {answer.status_code} {answer.text}")

    try:
        threads = [threading.Thread(target=client_run, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
    finally:
        stop_process(process)

    assert problems == []
    assert len(found) == clients * rounds // 3  # every addition was kept
    levels = services.stock.stock_levels(onhand, sku="TEA-1", location="NY").levels
    on_hand = sum((level.on_hand for level in levels), 0)
    reserved = sum((level.reserved for level in levels), 0)
    assert on_hand == 10 + len(found) - 2 * len(lost)
    # A loss gives back promises it leaves unkept, stock found serves backorders: what is
    # reserved is what the orders allocated now hold, and never more than is on hand.
    orders = services.sales_orders.list_orders(onhand, limit=100)
    assert len(orders) == clients * rounds // 3 and allocated
    assert reserved == sum(order.status == "allocated" for order in orders) <= on_hand
    assert services.integrity.verify(onhand).ok
