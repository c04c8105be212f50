"""What one request may cost: the key is checked before the body is read, the body is
capped (ONHAND_MAX_BODY_BYTES) and never read past the cap, and a posting has at most
ONHAND_MAX_POSTING_LINES lines."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from onhand.bootstrap import Onhand
from onhand.config import ApiLimits
from onhand.entrypoints.api.app import create_app
from tests.e2e.conftest import AppSwitch, LedgerState

pytestmark = pytest.mark.usefixtures("api_stocked")

CAP = 64 * 1024


@pytest.fixture
def capped_url(api_server: tuple[AppSwitch, str], onhand: Onhand) -> Iterator[str]:
    """The test's app with a 64 KiB body cap."""
    switch, url = api_server
    switch.app = create_app(onhand, limits=ApiLimits(max_body_bytes=CAP))
    try:
        yield url
    finally:
        switch.app = None
        switch.wait_until_idle()


@pytest.fixture
def unchanged(api_stocked: Onhand, api_ledger_state: Callable[[], LedgerState]) -> Iterator[None]:
    before = api_ledger_state()
    yield
    assert api_ledger_state() == before


def _head_only(url: str, request: str) -> str:
    """Send a request's head but none of the body it announces; return the status line
    the server answers with (within 5 s), which proves it did not wait for the body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as connection:
        connection.sendall(request.encode())
        answer = connection.recv(65536).decode("latin-1")
    return answer.split("\r\n", 1)[0]


def test_a_request_without_a_key_is_refused_before_its_body_is_read(api_url: str) -> None:
    head = (
        "POST /api/v1/adjustments HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000000\r\n\r\n"
    )
    assert _head_only(api_url, head) == "HTTP/1.1 401 Unauthorized"


def test_a_body_announced_over_the_cap_is_a_413_before_any_of_it_is_read(capped_url: str) -> None:
    head = (
        "POST /api/v1/adjustments HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Content-Length: {CAP + 1}\r\n\r\n"
    )
    assert _head_only(capped_url, head) == "HTTP/1.1 413 Request Entity Too Large"


@pytest.mark.usefixtures("unchanged")
def test_a_chunked_body_over_the_cap_is_a_413_naming_the_body(capped_url: str, api_keys) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"location": "NY", "reason": "found", "note": "'
        for _ in range(CAP // 1024 + 1):
            yield b"x" * 1024
        yield b'", "lines": [{"sku": "TEA-1", "quantity": "1"}]}'

    with httpx.Client(base_url=capped_url, headers={"Authorization": f"Bearer {api_keys.operator}"}) as client:
        response = client.post("/api/v1/adjustments", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("too_large", "body")
    assert f"more than {CAP} bytes" in error["reason"]


@pytest.mark.usefixtures("unchanged")
def test_an_import_over_the_cap_is_a_413(capped_url: str, api_keys) -> None:
    csv = "location,sku,quantity\n" + "NY,TEA-1,1\n" * (CAP // 10)
    with httpx.Client(base_url=capped_url, headers={"Authorization": f"Bearer {api_keys.operator}"}) as client:
        for upload in ({"content": csv, "headers": {"Content-Type": "text/csv"}},
                       {"files": {"file": ("stock.csv", csv, "text/csv")}}):
            response = client.post("/api/v1/imports/opening-stock", **upload)
            assert response.status_code == 413, response.text
            assert response.json()["error"]["field"] == "body"


def test_a_body_under_the_cap_is_taken(capped_url: str, api_keys) -> None:
    with httpx.Client(base_url=capped_url, headers={"Authorization": f"Bearer {api_keys.operator}"}) as client:
        response = client.post("/api/v1/adjustments", json={
            "location": "NY", "reason": "found", "note": "x" * 1500, "lines": [{"sku": "TEA-1", "quantity": "1"}],
        })
    assert response.status_code == 201, response.text


@pytest.mark.usefixtures("unchanged")
def test_a_posting_of_more_lines_than_the_limit_is_one_422_naming_lines(api_operator: httpx.Client) -> None:
    lines = [{"sku": "TEA-1", "quantity": "1"}] * 5001
    response = api_operator.post("/api/v1/adjustments", json={"location": "NY", "reason": "found", "lines": lines})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == "lines" and "5001 lines are more than the 5000" in error["reason"]
