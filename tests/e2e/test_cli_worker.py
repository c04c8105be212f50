"""`onhand worker` delivers webhooks until SIGTERM and then stops cleanly (at the CPU
priority `--nice` asks); `onhand serve`
runs the worker in-process by default on SQLite, not on PostgreSQL, as its flag says."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest
import uvicorn

from onhand import services
from onhand.domain.webhooks.commands import AddSubscription
from tests.e2e.test_cli_admin import installed_script
from tests.integration.helpers import add_item
from tests.webhook_receiver import receiver


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_worker_process_delivers_webhooks_and_stops_on_sigterm(database_url, onhand):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ONHAND_DATABASE_URL", None)
    with receiver() as shop:
        services.webhooks.add_subscription(onhand, AddSubscription("hook", shop.url))
        process = subprocess.Popen([installed_script(), "--database-url", database_url, "worker", "--poll", "0.05",
                                    "--nice", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            add_item(onhand, "A")
            deadline = time.monotonic() + 30
            while not shop.received and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.02)
            lowered = min(os.getpriority(os.PRIO_PROCESS, 0) + 3, 19)  # --nice 3 (19 is the lowest priority)
            assert os.getpriority(os.PRIO_PROCESS, process.pid) == lowered
            process.send_signal(signal.SIGTERM)
            _out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 0, err
    assert len(shop.received) == 1
    assert "worker running" in err and err.rstrip().endswith("worker stopped")


@pytest.fixture
def serving(monkeypatch):
    """Whether a worker thread ran while `uvicorn.run` was called (nothing is served)."""
    seen: list[bool] = []

    def run(app, host, port, **options):
        seen.append(any(t.name == "onhand-worker" and t.is_alive() for t in threading.enumerate()))

    monkeypatch.setattr(uvicorn, "run", run)
    return seen


def test_serve_runs_the_worker_in_process_on_sqlite_only_unless_told(cli_run, serving, database_url):
    on_sqlite = database_url.startswith("sqlite")
    assert cli_run("serve").exit_code == 0
    assert cli_run("serve", "--no-worker").exit_code == 0
    assert cli_run("serve", "--worker").exit_code == 0
    assert serving == [on_sqlite, False, True]
    assert not any(t.name == "onhand-worker" for t in threading.enumerate())  # stopped with the server


def test_the_worker_posts_and_pushes_the_nightly_journals_only_when_asked():
    from onhand.entrypoints.cli.worker import senders

    assert "nightly-journals" not in senders()
    assert "nightly-journals" in senders(nightly_journals=30)
