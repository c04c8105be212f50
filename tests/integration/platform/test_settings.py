"""Settings from the environment: SQLite's durability and the idempotency TTL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from onhand import services
from onhand.bootstrap import open_onhand, serving
from onhand.config import Settings
from onhand.domain.errors import InvalidInput
from tests.integration.helpers import add_item, level

FULL, NORMAL = 2, 1  # PRAGMA synchronous


def synchronous(url: str) -> int:
    onhand = open_onhand(url)
    try:
        with onhand.engine.connect() as conn:
            return int(conn.execute(text("PRAGMA synchronous")).scalar_one())
    finally:
        onhand.close()


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, NORMAL),
    ({"ONHAND_PROFILE": "production"}, FULL),
    ({"ONHAND_SQLITE_SYNCHRONOUS": "full"}, FULL),
    ({"ONHAND_PROFILE": "production", "ONHAND_SQLITE_SYNCHRONOUS": "normal"}, NORMAL),
])
def test_sqlite_commits_reach_the_disk_before_returning_under_the_production_profile(
    tmp_path, monkeypatch, environment, expected
):
    for name in ("ONHAND_PROFILE", "ONHAND_SQLITE_SYNCHRONOUS", "ONHAND_PASSWORD_COST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert synchronous(f"sqlite:///{tmp_path / 'stock.db'}") == expected


@pytest.mark.parametrize(("name", "value"), [
    ("ONHAND_PROFILE", "staging"), ("ONHAND_SQLITE_SYNCHRONOUS", "off"),
    ("ONHAND_IDEMPOTENCY_TTL_HOURS", "0"), ("ONHAND_IDEMPOTENCY_TTL_HOURS", "a day"),
    ("ONHAND_GROUP_COMMIT", "yes"), ("ONHAND_PASSWORD_COST", "9"), ("ONHAND_PASSWORD_COST", "17"),
    ("ONHAND_PASSWORD_COST", "2^15"),
])
def test_a_wrong_setting_is_refused_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidInput) as error:
        Settings.from_env("sqlite://")
    assert error.value.field == name


def test_idempotency_keys_are_remembered_for_a_day_unless_told(monkeypatch):
    monkeypatch.delenv("ONHAND_IDEMPOTENCY_TTL_HOURS", raising=False)
    assert Settings.from_env("sqlite://").idempotency_ttl == timedelta(hours=24)
    monkeypatch.setenv("ONHAND_IDEMPOTENCY_TTL_HOURS", "48")
    assert Settings.from_env("sqlite://").idempotency_ttl == timedelta(hours=48)


def test_empty_variables_are_unset_and_secrets_never_shown(monkeypatch):
    from onhand.config import ApiLimits, read_environment

    monkeypatch.setenv("ONHAND_MAX_BODY_BYTES", "")
    monkeypatch.setenv("ONHAND_AUTH_FAILURE_BURST", "7")
    monkeypatch.setenv("ONHAND_XERO_ACCESS_TOKEN", "xero-secret-token")
    assert ApiLimits.from_env() == ApiLimits(auth_failure_burst=7)
    assert "xero-secret-token" not in repr(read_environment())
    monkeypatch.setenv("ONHAND_AUTH_FAILURE_BURST", "0")
    with pytest.raises(InvalidInput) as error:
        ApiLimits.from_env()
    assert error.value.field == "ONHAND_AUTH_FAILURE_BURST"


@pytest.mark.parametrize("setting", [None, "on", "off", " OFF "])
def test_a_server_groups_its_writes_unless_told_not_to(onhand, monkeypatch, setting):
    monkeypatch.delenv("ONHAND_GROUP_COMMIT", raising=False)
    if setting is not None:
        monkeypatch.setenv("ONHAND_GROUP_COMMIT", setting)
    with serving(onhand) as served:
        grouped = served is not onhand
        add_item(served, "TEA")  # a write, through the group writer or not
    told = {"on": True, "off": False}.get((setting or "").strip().lower())
    assert grouped == (told is not False)
    assert level(onhand, "TEA") == (0, 0, 0) and services.items.get_item(onhand, "TEA").sku == "TEA"


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, 15), ({"ONHAND_PASSWORD_COST": "10"}, 10), ({"ONHAND_PASSWORD_COST": " 16 "}, 16),
    ({"ONHAND_PROFILE": "production", "ONHAND_PASSWORD_COST": "15"}, 15),
    ({"ONHAND_PROFILE": "production", "ONHAND_PASSWORD_COST": "14"}, "refused"),
])
def test_passwords_cost_two_to_the_fifteen_unless_told_and_never_less_in_production(
    monkeypatch, environment, expected
):
    for name in ("ONHAND_PROFILE", "ONHAND_PASSWORD_COST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if expected == "refused":
        with pytest.raises(InvalidInput, match="from 15 to 16 under ONHAND_PROFILE=production"):
            Settings.from_env("sqlite://")
        return
    assert Settings.from_env("sqlite://").password_cost == expected
    onhand = open_onhand("sqlite://")
    try:
        assert onhand.password_cost == expected
        stored = services.access.passwords.hash_password("a long enough password", onhand.password_cost)
        assert stored.split("$")[1:4] == [str(2**expected), "8", "1"]
    finally:
        onhand.close()
