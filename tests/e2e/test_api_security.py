"""Security headers on every answer, and failed authentications logged (never the key)
and limited per client address."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from onhand.bootstrap import Onhand
from onhand.config import ApiLimits
from onhand.entrypoints.api.app import create_app
from onhand.entrypoints.api.throttle import AuthFailureThrottle
from tests.e2e.conftest import ApiKeys, AppSwitch


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/company", 200), ("/api/v1/nowhere", 404), ("/healthz", 200), ("/sign-in", 200), ("/openapi.json", 200)],
)
def test_every_answer_carries_the_security_headers(api_admin: httpx.Client, path: str, status: int) -> None:
    response = api_admin.get(path)
    assert response.status_code == status
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "server" not in headers


def test_a_refusal_carries_the_security_headers_too(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.get("/api/v1/company")
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_docs_page_loads_swagger_ui_from_here_and_runs_only_its_inline_script(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.get("/docs")
    assert response.status_code == 200 and "SwaggerUIBundle" in response.text
    policy = response.headers["content-security-policy"]
    [script] = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "https://" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy


@pytest.fixture
def throttled_url(api_server: tuple[AppSwitch, str], onhand: Onhand) -> Iterator[str]:
    """The test's app allowing 3 failed authentications, refilled at 1 a second."""
    switch, url = api_server
    switch.app = create_app(onhand, limits=ApiLimits(auth_failure_burst=3, auth_failures_per_second=1))
    try:
        yield url
    finally:
        switch.app = None
        switch.wait_until_idle()


def test_failed_authentications_past_the_burst_are_a_429_with_retry_after(
    throttled_url: str, api_keys: ApiKeys
) -> None:
    with httpx.Client(base_url=throttled_url) as client:
        wrong = {"Authorization": "Bearer onh_000000000000_guess"}
        assert [client.get("/api/v1/company", headers=wrong).status_code for _ in range(3)] == [401] * 3
        refused = client.get("/api/v1/company", headers=wrong)
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert int(refused.headers["retry-after"]) >= 1
        # While the address is throttled, even a right key waits: guessing must cost time.
        right = client.get("/api/v1/company", headers={"Authorization": f"Bearer {api_keys.admin}"})
        assert right.status_code == 429


def test_successful_authentications_are_never_throttled(throttled_url: str, api_keys: ApiKeys) -> None:
    with httpx.Client(base_url=throttled_url, headers={"Authorization": f"Bearer {api_keys.viewer}"}) as client:
        assert {client.get("/api/v1/company").status_code for _ in range(10)} == {200}


def test_a_failed_authentication_is_logged_without_the_key(
    api_client_for, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "onh_abcdef012345_this-secret-must-not-be-logged"
    with caplog.at_level(logging.WARNING, logger="onhand.api.auth"):
        assert api_client_for(secret).get("/api/v1/items").status_code == 401
        assert api_client_for(None).get("/api/v1/items").status_code == 401
    messages = [r.getMessage() for r in caplog.records if r.name == "onhand.api.auth"]
    assert len(messages) == 2
    assert "key refused" in messages[0] and "127.0.0.1" in messages[0] and "GET /api/v1/items" in messages[0]
    assert "no key" in messages[1]
    assert not any("abcdef" in m or "secret" in m for m in messages)


def test_a_throttle_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    now = [0.0]
    throttle = AuthFailureThrottle(rate=10, burst=2, clock=lambda: now[0])
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 1
    assert throttle.retry_after("10.0.0.2") is None  # per address
    now[0] += 0.1
    assert throttle.retry_after("10.0.0.1") is None
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 1
    now[0] += 100
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.retry_after("10.0.0.1") == 1  # never more than the burst saved up
