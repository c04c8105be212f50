"""One log line per request (id, method, path, status, duration, the key's name, never its
secret) and the same request id in the `X-Request-ID` header and in every error body."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from onhand.bootstrap import Onhand
from onhand.entrypoints.api.app import create_app
from tests.e2e.conftest import ApiKeys, serve_api

LINE = re.compile(
    r"request_id=(?P<id>\S+) method=(?P<method>\S+) path=(?P<path>\S+) status=(?P<status>\d+) "
    r"duration_ms=\d+\.\d key=(?P<key>.+)"
)


@pytest.fixture
def request_lines(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="onhand.api.requests")

    def lines() -> list[dict[str, str]]:
        found = []
        for record in caplog.records:
            if record.name == "onhand.api.requests":
                match = LINE.fullmatch(record.getMessage())
                assert match, record.getMessage()
                found.append(match.groupdict())
        return found

    return lines


def test_each_request_is_one_line_with_the_key_name_and_no_secret(
    api_viewer: httpx.Client, api_keys: ApiKeys, request_lines, caplog: pytest.LogCaptureFixture
) -> None:
    response = api_viewer.get("/api/v1/stock", params={"group_by": "location"})
    assert response.status_code == 200
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = request_lines()
    assert line == {"id": request_id, "method": "GET", "path": "/api/v1/stock", "status": "200", "key": "viewer key"}
    assert api_keys.viewer not in caplog.text and "group_by" not in caplog.text  # no secret, no query


def test_a_sane_client_id_is_kept_and_any_other_replaced(api_anonymous: httpx.Client, request_lines) -> None:
    kept = api_anonymous.get("/healthz", headers={"X-Request-ID": "shop-42.retry:1"})
    assert kept.headers["X-Request-ID"] == "shop-42.retry:1"
    replaced = api_anonymous.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])
    assert [(line["id"], line["key"]) for line in request_lines()] == [
        ("shop-42.retry:1", "-"), (replaced.headers["X-Request-ID"], "-")]


def test_error_bodies_carry_the_request_id_of_their_header(
    api_operator: httpx.Client, api_anonymous: httpx.Client, request_lines
) -> None:
    answers = [
        api_operator.get("/api/v1/items/NOPE"),  # a service's 404
        api_operator.post("/api/v1/items", json={"sku": 5}),  # the schema's 422
        api_anonymous.get("/api/v1/items"),  # 401
        api_operator.get("/api/v1/no-such-route"),  # routing's 404
    ]
    assert [a.status_code for a in answers] == [404, 422, 401, 404]
    for answer in answers:
        assert answer.json()["error"]["request_id"] == answer.headers["X-Request-ID"]
    assert [(line["status"], line["key"]) for line in request_lines()] == [
        ("404", "operator key"), ("422", "operator key"), ("401", "-"), ("404", "-")]  # no route, no key read


def test_an_unexpected_error_is_logged_as_a_500_with_its_id(onhand: Onhand, request_lines) -> None:
    app = create_app(onhand)

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)
    with serve_api(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        response = client.get("/broken", headers={"X-Request-ID": "trace-1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-1" == response.json()["error"]["request_id"]
    assert [(line["id"], line["status"]) for line in request_lines()] == [("trace-1", "500")]
