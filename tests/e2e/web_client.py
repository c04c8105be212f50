"""Helpers for the web app's tests: a user of each role, signing in through the real form."""

from __future__ import annotations

import re

import httpx

from onhand import services
from onhand.adapters.tls import tls_context
from onhand.bootstrap import Onhand
from onhand.domain.access.commands import AddUser

PASSWORD = "a long enough password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_user(onhand: Onhand, role: str, **extra: object) -> str:
    email = f"{role}@example.com"
    services.users.add_user(onhand, AddUser(email=email, name=role.title(), role=role, **extra),  # type: ignore[arg-type]
                            password=PASSWORD)
    return email


def csrf_token(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(form)})


class WebClients:
    """Signed-in clients for one test, all closed at its end."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._open: list[httpx.Client] = []

    def signed_in(self, email: str) -> httpx.Client:
        client = httpx.Client(base_url=self.base_url, timeout=30, verify=tls_context())
        self._open.append(client)
        response = sign_in(client, email)
        assert response.status_code == 303, response.text
        return client

    def close(self) -> None:
        for client in self._open:
            client.close()
