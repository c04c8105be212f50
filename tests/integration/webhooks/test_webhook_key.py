"""The installation's webhook key: from the environment, else an owner-only file made once."""

from __future__ import annotations

import stat

import pytest

from onhand.adapters.webhooks.keys import load_webhook_key
from onhand.config import Settings
from onhand.domain.errors import InvalidInput


def test_the_key_file_is_made_once_owner_only_and_read_back(tmp_path):
    path = tmp_path / "onhand" / "webhook.key"
    first = load_webhook_key(None, path)
    assert len(first) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_webhook_key(None, path) == first
    assert load_webhook_key("k" * 40, path) == b"k" * 40  # the environment wins


def test_a_short_key_in_the_environment_is_refused_and_never_shown(monkeypatch):
    monkeypatch.setenv("ONHAND_WEBHOOK_KEY", "short-secret")
    with pytest.raises(InvalidInput) as caught:
        Settings.from_env("sqlite:///x.db")
    assert caught.value.field == "ONHAND_WEBHOOK_KEY" and "short-secret" not in str(caught.value)
    monkeypatch.setenv("ONHAND_WEBHOOK_KEY", "s" * 32)
    assert "s" * 32 not in repr(Settings.from_env("sqlite:///x.db"))
