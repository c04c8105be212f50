"""A channel's secrets are read where its `credentials` point, when used: from the
environment or an owner-only JSON file; a file others may read is refused, and no error
or repr carries a secret."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from onhand.adapters.channels.gateways import ChannelAdapters
from onhand.adapters.channels.secrets import read_secret
from onhand.adapters.channels.shopify.admin_api import ShopifyAdmin
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.errors import PushFailed

NOW = datetime(2026, 3, 30, tzinfo=UTC)


def channel(credentials: str, name: str = "shop-us") -> ChannelRecord:
    return ChannelRecord(1, name, "shopify", "https://shop-us.myshopify.com", None, credentials, 0, None, None,
                         None, NOW, NOW)


def test_secrets_come_from_the_environment_by_the_channels_name() -> None:
    environ = {"ONHAND_CHANNEL_SHOP_US_WEBHOOK_SECRET": "s3cret"}
    assert read_secret(channel("env"), "webhook_secret", environ) == "s3cret"
    assert read_secret(channel("env"), "access_token", environ) is None


def test_an_owner_only_file_is_read_and_one_others_may_read_is_refused(tmp_path) -> None:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps({"access_token": "shpat_very_secret", "webhook_secret": "s3cret"}))
    os.chmod(path, 0o600)
    assert read_secret(channel(f"file:{path}"), "access_token") == "shpat_very_secret"
    os.chmod(path, 0o644)
    with pytest.raises(PushFailed) as refused:
        read_secret(channel(f"file:{path}"), "access_token")
    assert "chmod 600" in str(refused.value) and "shpat_very_secret" not in str(refused.value)


def test_nothing_shows_a_secret(tmp_path) -> None:
    admin = ShopifyAdmin(channel("env"), "shpat_very_secret")
    assert "shpat_very_secret" not in repr(admin)
    connection = ChannelAdapters({"ONHAND_CHANNEL_SHOP_US_ACCESS_TOKEN": "shpat_very_secret"}).connect(channel("env"))
    assert "shpat_very_secret" not in repr(connection)
    with pytest.raises(PushFailed) as refused:
        ShopifyAdmin(channel("env"), None)
    assert str(refused.value) == "shop-us: no access token is configured"


def test_a_rotated_secrets_file_is_read_again(tmp_path) -> None:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps({"webhook_secret": "first"}))
    os.chmod(path, 0o600)
    assert read_secret(channel(f"file:{path}"), "webhook_secret") == "first"
    assert read_secret(channel(f"file:{path}"), "webhook_secret") == "first"  # kept while unchanged
    path.write_text(json.dumps({"webhook_secret": "the rotated one"}))
    assert read_secret(channel(f"file:{path}"), "webhook_secret") == "the rotated one"
    replacement = tmp_path / "new.json"  # rotated by renaming a new file over it
    replacement.write_text(json.dumps({"webhook_secret": "renamed"}))
    os.chmod(replacement, 0o600)
    replacement.replace(path)
    assert read_secret(channel(f"file:{path}"), "webhook_secret") == "renamed"
