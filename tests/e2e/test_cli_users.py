"""`onhand users add|disable|list` and the demo's sign-in."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.domain.errors import Unauthorized

PASSWORD = "a long enough password"


def test_users_are_added_listed_and_disabled_and_can_sign_in_until_then(cli_run, onhand, monkeypatch):
    monkeypatch.setenv("ONHAND_NEW_USER_PASSWORD", PASSWORD)
    added = cli_run("users", "add", "--email", "ana@example.com", "--name", "Ana", "--role", "operator")
    assert added.exit_code == 0 and PASSWORD not in added.stdout
    assert cli_run("users", "list").row("ana@example.com")[:4] == ["ana@example.com", "Ana", "operator", "all"]
    services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="c")
    assert cli_run("users", "disable", "ana@example.com").exit_code == 0
    with pytest.raises(Unauthorized):
        services.users.sign_in(onhand, email="ana@example.com", password=PASSWORD, client="c")


def test_a_bad_user_is_refused_with_its_field(cli_run, monkeypatch):
    monkeypatch.setenv("ONHAND_NEW_USER_PASSWORD", "short")
    refused = cli_run("users", "add", "--email", "ana@example.com", "--name", "Ana", "--role", "operator")
    assert refused.exit_code == 3 and "password" in refused.stderr


def test_the_demo_prints_a_sign_in_that_works_and_a_new_password_each_run(cli_run, onhand):
    passwords = []
    for _ in range(2):
        out = cli_run("demo", "--no-serve").stdout.splitlines()
        at = next(i for i, line in enumerate(out) if "demo@example.com" in line)
        passwords.append(out[at + 1].strip())
    assert passwords[0] != passwords[1]
    with pytest.raises(Unauthorized):
        services.users.sign_in(onhand, email="demo@example.com", password=passwords[0], client="c")
    services.users.sign_in(onhand, email="demo@example.com", password=passwords[1], client="c")
