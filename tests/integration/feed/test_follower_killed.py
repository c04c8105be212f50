"""A follower whose process is killed (SIGKILL) in the middle of a batch on PostgreSQL:
the server rolls its transaction back, nothing of the batch is kept, and the next run
handles the same events once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from onhand import services
from onhand.services.feed import availability
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place, adjust

# Handles its batch (availability's writes), says so, and waits to be killed.
SCRIPT = """
import sys, time
from onhand.bootstrap import open_onhand
from onhand.services.feed import availability
from onhand.services.feed.followers import Follower, run_batch

def handle(uow, batch):
    availability.handle(uow, batch)
    print("handled", len(batch.events), flush=True)
    time.sleep(120)

run_batch(open_onhand(sys.argv[1], migrate=False), Follower(availability.NAME, handle))
"""


def test_a_follower_process_killed_mid_batch_keeps_nothing_and_the_next_run_resumes(onhand, database_url):
    if onhand.engine.dialect.name != "postgresql":
        pytest.skip("a killed SQLite writer is the same as an exception: see test_change_feed")
    add_place(onhand, "NY")
    add_item(onhand, "W")
    adjust(onhand, "NY", "W", 4)
    settle(onhand)
    child = subprocess.Popen([sys.executable, "-c", SCRIPT, database_url], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().split() == ["handled", "3"]
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()

    assert services.availability_feed.availability_changes(onhand) == []  # its writes died with it
    deadline = time.monotonic() + 30
    while (step := services.followers.run_batch(onhand, availability.FOLLOWER)).busy:
        assert time.monotonic() < deadline, "the killed follower's lock was never released"
        time.sleep(0.05)  # the server has not noticed the closed connection yet
    assert step.handled == 3
    (row,) = services.availability_feed.availability_changes(onhand)
    assert row.available == Decimal(4)
    (status,) = services.followers.follower_status(onhand, {availability.NAME: availability.FOLLOWER})
    assert (status.handled, status.lag) == (3, 0)
