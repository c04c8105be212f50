"""User accounts over HTTP: admins list, add and disable them; no other role may; a
password is never returned; bad input is one clear error and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from onhand.domain.access.commands import AddUser, CreateApiKey
from tests.e2e.web_client import PASSWORD, sign_in
from tests.integration.helpers import add_place

NEW = {"email": "Ana@Example.com", "name": "Ana", "role": "operator", "locations": ["NY"], "password": PASSWORD}


@pytest.fixture
def ny(onhand):
    add_place(onhand, "NY")


def test_an_admin_adds_lists_and_disables_a_user(api_admin, onhand, ny, api_url):
    added = api_admin.post("/api/v1/users", json=NEW)
    assert added.status_code == 201, added.text
    body = added.json()
    assert (body["email"], body["role"], body["locations"], body["disabled_at"]) == (
        "ana@example.com", "operator", ["NY"], None)
    assert "password" not in added.text and PASSWORD not in added.text
    listed = api_admin.get("/api/v1/users").json()["users"]
    assert [u["email"] for u in listed] == ["ana@example.com"] and PASSWORD not in str(listed)

    with httpx.Client(base_url=api_url) as browser:
        assert sign_in(browser, "ana@example.com").status_code == 303  # the password works
        disabled = api_admin.post("/api/v1/users/ana@example.com/disable")
        assert disabled.status_code == 200 and disabled.json()["disabled_at"] is not None
        assert browser.get("/items").status_code == 303  # their session ended
    [entry] = services.audit.list_audit(onhand, action="add_user").entries
    assert entry.actor.reference.startswith("api_key:")


@pytest.mark.parametrize(("change", "field"), [
    ({"role": "integration"}, "role"), ({"role": "boss"}, "role"), ({"password": "short"}, "password"),
    ({"email": "not an email"}, "email"), ({"locations": ["NOWHERE"]}, "locations"),
    ({"email": "x" * 65}, "email"), ({"extra": 1}, "extra"),
])
def test_bad_input_is_one_clear_error_and_adds_no_one(api_admin, onhand, ny, change, field):
    answer = api_admin.post("/api/v1/users", json={**NEW, **change})
    assert answer.status_code in (404, 422), answer.text
    assert answer.json()["error"]["field"].split(".")[-1] == field
    assert services.users.list_users(onhand) == []


def test_an_email_in_use_and_an_unknown_user_are_said_so(api_admin, onhand, ny):
    assert api_admin.post("/api/v1/users", json=NEW).status_code == 201
    assert api_admin.post("/api/v1/users", json=NEW).status_code == 409
    assert api_admin.post("/api/v1/users/nobody@example.com/disable").status_code == 404


@pytest.mark.parametrize("role", ["manager", "operator", "viewer", "integration"])
def test_only_an_admin_key_manages_users(api_client_for, onhand, ny, role):
    services.users.add_user(onhand, AddUser(email="bo@example.com", name="Bo", role="viewer"), password=PASSWORD)
    secret = services.keys.create_api_key(onhand, CreateApiKey(name=f"{role} key", role=role)).secret
    client = api_client_for(secret)
    assert client.get("/api/v1/users").status_code == 403
    assert client.post("/api/v1/users", json=NEW).status_code == 403
    assert client.post("/api/v1/users/bo@example.com/disable").status_code == 403
    assert [u.email for u in services.users.list_users(onhand)] == ["bo@example.com"]
    assert services.users.list_users(onhand)[0].disabled_at is None
