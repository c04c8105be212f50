"""An Amazon channel's credentials: read from the environment or an owner-only file,
named when missing, never shown."""

from __future__ import annotations

import json

import pytest

from onhand.adapters.channels.amazon.credentials import read_credentials
from onhand.domain.errors import InvalidInput

VALUES = {"lwa_client_id": "amzn1.application-oa2-client.x", "lwa_client_secret": "shh-secret",
          "refresh_token": "Atzr|shh-refresh", "seller_id": "A1SELLER", "marketplace_id": "ATVPDKIKX0DER"}


def test_credentials_come_from_the_channels_environment_variables() -> None:
    environ = {f"ONHAND_CHANNEL_AMZ_US_{key.upper()}": value for key, value in VALUES.items()}
    found = read_credentials("amz-us", "env", environ)
    assert (found.seller_id, found.refresh_token, found.client_secret) == ("A1SELLER", "Atzr|shh-refresh", "shh-secret")
    assert "shh" not in repr(found)


def test_a_missing_secret_is_named_by_its_variable_and_none_is_shown() -> None:
    environ = {f"ONHAND_CHANNEL_AMZ_US_{key.upper()}": value for key, value in VALUES.items()
               if key != "refresh_token"}
    with pytest.raises(InvalidInput) as refused:
        read_credentials("amz-us", "env", environ)
    assert "ONHAND_CHANNEL_AMZ_US_REFRESH_TOKEN" in str(refused.value)
    assert "shh" not in str(refused.value)


def test_an_owner_only_file_is_read_and_one_others_may_read_is_refused(tmp_path) -> None:
    path = tmp_path / "amz.json"
    path.write_text(json.dumps(VALUES))
    path.chmod(0o600)
    assert read_credentials("amz-us", f"file:{path}").marketplace_id == "ATVPDKIKX0DER"
    path.chmod(0o644)
    with pytest.raises(InvalidInput, match="chmod 600") as refused:
        read_credentials("amz-us", f"file:{path}")
    assert "shh" not in str(refused.value)


def test_a_file_that_is_not_a_json_object_is_refused_without_its_content(tmp_path) -> None:
    path = tmp_path / "amz.json"
    path.write_text("refresh_token=shh-refresh")
    path.chmod(0o600)
    with pytest.raises(InvalidInput, match="not a JSON object") as refused:
        read_credentials("amz-us", f"file:{path}")
    assert "shh" not in str(refused.value)
