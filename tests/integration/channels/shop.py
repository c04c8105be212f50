"""A Shopify channel for the tests: its secrets in an owner-only file, its payloads signed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple
from pathlib import Path
from typing import Any

from onhand import services
from onhand.adapters.channels.shopify.signatures import signature
from onhand.bootstrap import Onhand, open_onhand
from onhand.domain.channels.commands import AcceptDelivery, AddChannel, MapLocation
from onhand.services.channels import worker
from onhand.services.channels.worker import SyncReport
from tests.integration.feed.settle import settle
from tests.integration.helpers import add_item, add_place, adjust

SECRET = "shpss_test_secret"
TOKEN = "shpat_test_token"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "shopify"


def secrets_file(directory: Path) -> Path:
    path = directory / "shop-us.json"
    path.write_text(json.dumps({"access_token": TOKEN, "webhook_secret": SECRET}))
    os.chmod(path, 0o600)
    return path


def add_shop(onhand, directory: Path, endpoint: str | None = None, name: str = "shop-us") -> None:
    services.channels.add_channel(onhand, AddChannel(
        name=name, kind="shopify", endpoint=endpoint, credentials=f"file:{secrets_file(directory)}"))


def stocked_shop(onhand, directory: Path, endpoint: str | None = None) -> None:
    """IPOD2008GREEN 5 and IPOD2008BLACK 5 at NY, which feeds Shopify location 487838322."""
    add_place(onhand, "NY")
    for sku in ("IPOD2008GREEN", "IPOD2008BLACK"):
        add_item(onhand, sku)
        adjust(onhand, "NY", sku, 5)
    add_shop(onhand, directory, endpoint)
    services.channels.map_location(onhand, MapLocation("shop-us", "NY", "487838322"))


def sample(fixture: str = "orders_create", **changes: Any) -> dict[str, Any]:
    body = json.loads((FIXTURES / f"{fixture}.json").read_text())
    body.update(changes)
    return body


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def deliver(onhand, payload: dict[str, Any], *, topic: str = "orders/create", event_id: str = "e-1",
            channel: str = "shop-us", secret: str = SECRET):
    raw = body_of(payload)
    return services.channel_inbox.accept_delivery(onhand, AcceptDelivery(
        channel=channel, topic=topic, external_event_id=event_id, body=raw, signature=signature(raw, secret)))


class Clock:
    """A clock the test moves: backoffs are read from it, never slept."""

    def __init__(self, start) -> None:
        self.now = start

    def __call__(self):
        return self.now


@contextmanager
def clocked(database_url: str, clock: Clock) -> Iterator[Onhand]:
    """Another Onhand on the test's database, whose time is `clock`."""
    onhand = open_onhand(database_url, clock=clock, migrate=False)
    try:
        yield onhand
    finally:
        onhand.close()


def empty_inbox(onhand, *, limit: int = 100, seconds: float = 60) -> int:
    """What a worker does: process the inbox until nothing waits (a delivery another worker
    holds waits for a later round); how many this one processed."""
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        processed = services.channel_inbox.process_inbox(onhand, limit=limit)
        done += processed
        with onhand.reading() as uow:
            if not uow.channels.pending_deliveries(limit=1, max_attempts=services.channel_inbox.MAX_ATTEMPTS):
                return done
        if not processed:
            time.sleep(0.01)  # another worker holds what is left
    raise AssertionError("the inbox did not empty")


def drain(onhand) -> SyncReport:
    """`sync` until nothing is left, waiting for the feed to show every committed event
    (on PostgreSQL another test process's open transaction may hold it back a moment)."""
    total = SyncReport(0, 0, 0)
    while True:
        settle(onhand)
        step = worker.sync(onhand)
        if step == SyncReport(0, 0, 0):
            settle(onhand)
            step = worker.sync(onhand)
            if step == SyncReport(0, 0, 0):
                return total
        total = SyncReport(*(a + b for a, b in zip(astuple(total), astuple(step), strict=True)))
