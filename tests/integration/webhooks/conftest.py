"""Webhook tests: a poster that gives up after 0.2 s, so a receiver that hangs costs the
suite little (the installation key comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onhand.adapters.webhooks.http import HttpWebhookPoster
from onhand.bootstrap import Onhand, open_onhand

TIMEOUT = 0.2


@pytest.fixture
def onhand(database_url: str, clock) -> Iterator[Onhand]:
    instance = open_onhand(database_url, clock=clock, webhook_poster=HttpWebhookPoster(timeout=TIMEOUT))
    yield instance
    instance.close()
