"""The users page through a real server: an admin adds a user (with sites, with a given or
a made password) and disables one; every other role is refused; CSRF; bad input is one
clear error and adds no one."""

from __future__ import annotations

import re

import httpx
import pytest

from onhand import services
from tests.e2e.web_client import PASSWORD, add_user, csrf_token, sign_in
from tests.integration.helpers import add_place


@pytest.fixture
def sites(onhand):
    add_place(onhand, "NY")
    add_place(onhand, "LA")


def test_an_admin_adds_a_user_limited_to_a_site_and_disables_them(onhand, web_clients, sites, api_url):
    admin = web_clients.signed_in(add_user(onhand, "admin"))
    page = admin.get("/users")
    assert page.status_code == 200 and 'href="/users"' in page.text
    added = admin.post("/users", data={"csrf_token": csrf_token(page), "email": "ana@example.com", "name": "Ana",
                                       "role": "operator", "locations": ["NY"], "password": PASSWORD})
    assert added.status_code == 200 and "Added ana@example.com as operator." in added.text
    assert 'id="new-password"' not in added.text and PASSWORD not in added.text
    [ana] = [u for u in services.users.list_users(onhand) if u.email == "ana@example.com"]
    assert (ana.role, ana.locations) == ("operator", ("NY",))

    with httpx.Client(base_url=api_url) as browser:
        assert sign_in(browser, "ana@example.com").status_code == 303
        gone = admin.post("/users/disable", data={"csrf_token": csrf_token(added), "email": "ana@example.com"})
        assert gone.status_code == 200 and "Disabled ana@example.com" in gone.text
        assert browser.get("/items").status_code == 303  # signed out at once
    [entry] = services.audit.list_audit(onhand, action="disable_user").entries
    assert entry.actor.reference == "user:admin@example.com"


def test_a_password_left_empty_is_made_and_shown_once_and_it_signs_in(onhand, web_clients, sites, api_url):
    admin = web_clients.signed_in(add_user(onhand, "admin"))
    page = admin.get("/users")
    added = admin.post("/users", data={"csrf_token": csrf_token(page), "email": "bo@example.com", "name": "Bo",
                                       "role": "viewer"})
    made = re.search(r'<code id="new-password">([^<]+)</code>', added.text)
    assert made, added.text
    assert made.group(1) not in admin.get("/users").text  # only once
    with httpx.Client(base_url=api_url) as browser:
        assert sign_in(browser, "bo@example.com", made.group(1)).status_code == 303


@pytest.mark.parametrize(("fields", "says"), [
    ({"role": "integration"}, "integration is for API keys"), ({"password": "short"}, "password"),
    ({"email": "nope"}, "email"), ({"locations": ["MARS"]}, "MARS"), ({"name": "x" * 201}, ""),
])
def test_bad_input_is_refused_with_its_reason_and_adds_no_one(onhand, web_clients, sites, fields, says):
    admin = web_clients.signed_in(add_user(onhand, "admin"))
    page = admin.get("/users")
    form = {"csrf_token": csrf_token(page), "email": "cy@example.com", "name": "Cy", "role": "operator",
            "password": PASSWORD, **fields}
    answer = admin.post("/users", data=form)
    assert answer.status_code == 422 and says in answer.text
    assert "cy@example.com" not in [u.email for u in services.users.list_users(onhand)]


@pytest.mark.parametrize("role", ["manager", "operator", "viewer"])
def test_no_one_but_an_admin_sees_or_changes_users(onhand, web_clients, sites, role):
    client = web_clients.signed_in(add_user(onhand, role))
    home = client.get("/items")
    assert 'href="/users"' not in home.text
    assert client.get("/users").status_code == 403
    token = csrf_token(home)
    assert client.post("/users", data={"csrf_token": token, "email": "dee@example.com", "name": "Dee",
                                       "role": "admin", "password": PASSWORD}).status_code == 403
    assert client.post("/users/disable", data={"csrf_token": token, "email": f"{role}@example.com"}).status_code == 403
    assert all(u.disabled_at is None for u in services.users.list_users(onhand))
    assert "dee@example.com" not in [u.email for u in services.users.list_users(onhand)]


def test_a_form_without_its_csrf_token_is_refused(onhand, web_clients, sites):
    admin = web_clients.signed_in(add_user(onhand, "admin"))
    forged = admin.post("/users", data={"email": "eve@example.com", "name": "Eve", "role": "admin",
                                        "password": PASSWORD})
    assert forged.status_code == 403
    assert "eve@example.com" not in [u.email for u in services.users.list_users(onhand)]
