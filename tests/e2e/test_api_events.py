"""GET /events: the change feed over HTTP, readable by every role, paged by event id."""

from __future__ import annotations

import httpx
import pytest

from onhand import services
from tests.e2e.conftest import ApiKeys
from tests.integration.feed.settle import settle

pytestmark = pytest.mark.usefixtures("api_stocked")

BODY = {"location": "NY", "reason": "lost", "lines": [{"sku": "TEA-1", "quantity": "-1"}]}


def test_a_posting_made_over_http_is_in_the_feed_with_its_key_and_pages_by_id(
    api_operator: httpx.Client, api_viewer: httpx.Client, api_keys: ApiKeys, onhand
) -> None:
    settle(onhand)
    start = api_viewer.get("/api/v1/events", params={"limit": 1000}).json()["last_id"]
    posted = api_operator.post("/api/v1/adjustments", json=BODY).json()
    settle(onhand)

    page = api_viewer.get("/api/v1/events", params={"after": start}).json()

    (event,) = page["events"]
    operator = services.keys.authenticate(onhand, api_keys.operator)
    assert (event["type"], event["actor"], event["actor_name"]) == (
        "posting.written", f"api_key:{operator.id}", "operator key")
    assert (event["body"]["posting_id"], event["body"]["kind"]) == (posted["id"], "adjustment")
    assert page["last_id"] == event["id"]
    assert api_viewer.get("/api/v1/events", params={"after": event["id"]}).json() == {
        "events": [], "last_id": event["id"]}


def test_the_first_events_come_one_page_at_a_time(api_viewer: httpx.Client, onhand) -> None:
    settle(onhand)
    everything = api_viewer.get("/api/v1/events", params={"limit": 1000}).json()["events"]
    first = api_viewer.get("/api/v1/events", params={"limit": 2}).json()
    second = api_viewer.get("/api/v1/events", params={"limit": 2, "after": first["last_id"]}).json()
    assert [e["id"] for e in first["events"] + second["events"]] == [e["id"] for e in everything[:4]]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"after": -1}, {"after": 999999}])
def test_a_bad_page_is_a_422_naming_its_parameter(api_viewer: httpx.Client, params) -> None:
    response = api_viewer.get("/api/v1/events", params=params)
    assert response.status_code == 422
    assert next(iter(params)) in response.text


def test_the_feed_needs_a_key(api_anonymous: httpx.Client) -> None:
    assert api_anonymous.get("/api/v1/events").status_code == 401
