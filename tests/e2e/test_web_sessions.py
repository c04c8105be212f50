"""The web app's sessions, CSRF checks and sign-in throttle, through a real server."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from onhand.domain.access.users import MAX_SIGN_IN_FAILURES
from tests.e2e.web_client import PASSWORD, add_user, csrf_token, sign_in


@pytest.fixture
def web(api_url: str):
    with httpx.Client(base_url=api_url, timeout=30) as client:
        yield client


def test_a_page_without_a_session_redirects_to_the_sign_in_page(web):
    assert web.get("/").headers["location"] == "/sign-in"
    assert web.get("/items/MUG-1").headers["location"] == "/sign-in?next=/items/MUG-1"
    page = web.get("/sign-in")
    assert page.status_code == 200 and '<label for="email">' in page.text and 'href="/docs"' in page.text


def test_signing_in_sets_an_http_only_same_site_cookie_holding_no_user_data(onhand, web):
    add_user(onhand, "viewer")
    response = sign_in(web, "viewer@example.com")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith("onhand_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain http here
    assert "viewer" not in cookie
    page = web.get("/")
    assert page.status_code == 200 and "<h1>Dashboard</h1>" in page.text


def test_a_wrong_password_is_refused_on_the_form_without_saying_why(onhand, web):
    add_user(onhand, "viewer")
    response = sign_in(web, "viewer@example.com", "not the password")
    assert response.status_code == 401 and services.users.REFUSED in response.text
    assert "onhand_session" not in web.cookies


def test_signing_out_ends_the_session_on_the_server(onhand, api_url, web_clients):
    add_user(onhand, "viewer")
    client = web_clients.signed_in("viewer@example.com")
    stolen = client.cookies["onhand_session"]
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/"))})
    with httpx.Client(base_url=api_url, cookies={"onhand_session": stolen}) as thief:
        assert thief.get("/").status_code == 303


def test_after_too_many_failures_the_form_answers_429_even_to_the_right_password(onhand, web):
    add_user(onhand, "viewer")
    for _ in range(MAX_SIGN_IN_FAILURES):
        assert sign_in(web, "viewer@example.com", "wrong password!").status_code == 401
    refused = sign_in(web, "viewer@example.com", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(onhand, web_clients):
    add_user(onhand, "admin")
    client = web_clients.signed_in("admin@example.com")
    refused = client.post("/sign-out", data={})
    assert refused.status_code == 403 and "security token" in refused.text
    wrong = client.post("/sign-out", data={"csrf_token": "x" * 43})
    assert wrong.status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_the_sign_in_form_itself_needs_its_token(onhand, web):
    add_user(onhand, "viewer")
    response = web.post("/sign-in", data={"email": "viewer@example.com", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_after_sign_in_the_app_goes_only_to_its_own_pages(onhand, web, target):
    add_user(onhand, "viewer")
    form = web.get("/sign-in", params={"next": target})
    response = web.post("/sign-in", data={"email": "viewer@example.com", "password": PASSWORD,
                                          "csrf_token": csrf_token(form), "next": target})
    assert response.headers["location"] == "/"


def test_the_api_docs_load_nothing_from_another_host(web):
    for path, asset in (("/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js"),
                        ("/redoc", "/static/vendor/redoc/redoc.standalone.js")):
        page = web.get(path)
        assert page.status_code == 200 and asset in page.text
        assert "https://" not in page.text and "https://" not in page.headers["content-security-policy"]
        assert web.get(asset).status_code == 200
    assert web.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
