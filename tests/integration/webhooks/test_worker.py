"""The worker: rounds of followers then senders until stopped; a commit of its own process
wakes it before the poll interval ends; two workers on one database share the work and
never send a delivery twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from onhand import services
from onhand.adapters.webhooks.http import HttpWebhookPoster
from onhand.bootstrap import open_onhand
from onhand.domain.webhooks.commands import AddSubscription
from onhand.services.worker.loop import run_worker
from onhand.services.worker.standard import standard_followers, standard_senders
from tests.integration.helpers import add_item
from tests.webhook_receiver import receiver


@contextmanager
def running_worker(target, poll: float) -> Iterator[None]:
    stopping = threading.Event()
    thread = threading.Thread(target=run_worker, args=(target, standard_followers().values(),
                                                       standard_senders().values()),
                              kwargs={"stopping": stopping, "wait": target.wait_for_changes, "poll": poll})
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        target.wake()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the worker did not stop"


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_commit_of_its_own_process_wakes_the_worker_long_before_its_poll(onhand):
    with receiver() as shop:
        services.webhooks.add_subscription(onhand, AddSubscription("hook", shop.url))
        with running_worker(onhand, poll=60.0):
            time.sleep(0.1)  # let the worker finish its first round and wait
            started = time.monotonic()
            add_item(onhand, "A")
            wait_until(lambda: len(shop.received) == 1, timeout=10)
            assert time.monotonic() - started < 10  # not the 60 s poll (settling on PostgreSQL included)


def test_a_commit_of_another_process_wakes_the_worker_long_before_its_poll_on_postgresql(onhand, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite: one process writes (its own commits wake its worker)")
    worker = open_onhand(database_url, webhook_poster=HttpWebhookPoster(timeout=2))  # its own engine and pool
    try:
        with receiver() as shop:
            services.webhooks.add_subscription(onhand, AddSubscription("hook", shop.url))
            with running_worker(worker, poll=60.0):
                time.sleep(0.3)  # let the worker finish its first round, listen and wait
                for n in range(3):
                    started = time.monotonic()
                    add_item(onhand, f"A{n}")  # committed by the other engine: only NOTIFY tells
                    wait_until(lambda n=n: len(shop.received) == n + 1, timeout=10)
                    assert time.monotonic() - started < 5  # not the 60 s poll
    finally:
        worker.close()


def test_two_workers_on_one_database_deliver_every_event_exactly_once(onhand, database_url):
    others = [open_onhand(database_url, webhook_poster=HttpWebhookPoster(timeout=2)) for _ in range(2)]
    try:
        with receiver() as shop:
            services.webhooks.add_subscription(onhand, AddSubscription("hook", shop.url))
            with running_worker(others[0], poll=0.02), running_worker(others[1], poll=0.02):
                for n in range(40):
                    add_item(onhand, f"I{n}")
                wait_until(lambda: len(shop.received) >= 40)
                time.sleep(0.2)  # room for a doubled send to show up
        sent = Counter(r.headers["onhand-event-id"] for r in shop.received)
        assert len(sent) == 40 and set(sent.values()) == {1}
        statuses = Counter(d.status for d in services.webhook_deliveries.list_deliveries(onhand))
        assert statuses == {"delivered": 40}
    finally:
        for other in others:
            other.close()
