"""Webhook tests: a known installation key (never the user's key file) and a poster that
gives up after 0.2 s, so a receiver that hangs costs the suite little."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onhand.adapters.webhooks.http import HttpWebhookPoster
from onhand.bootstrap import Onhand, open_onhand

KEY = "test-webhook-key-0123456789abcdef0123456789"
TIMEOUT = 0.2


@pytest.fixture
def onhand(database_url: str, clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Onhand]:
    monkeypatch.setenv("ONHAND_WEBHOOK_KEY", KEY)
    instance = open_onhand(database_url, clock=clock, webhook_poster=HttpWebhookPoster(timeout=TIMEOUT))
    yield instance
    instance.close()
