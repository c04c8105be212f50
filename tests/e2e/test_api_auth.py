"""Authentication (401) and authorization (403) by API key role."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import event

from tests.e2e.conftest import ApiKeys, ClientFactory

ADJUSTMENT = {"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]}


def test_a_request_without_a_key_is_a_401_asking_for_a_bearer_key(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.get("/api/v1/items")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer onh_000000000000_not-a-real-secret",
        "Bearer wrong",
        "Basic dXNlcjpwYXNz",
        "Bearer",
    ],
)
def test_a_wrong_key_is_a_401(api_client_for: ClientFactory, api_keys: ApiKeys, header: str) -> None:
    client = api_client_for(None)
    response = client.get("/api/v1/items", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_key_with_a_real_prefix_but_a_wrong_secret_is_a_401(
    api_client_for: ClientFactory, api_keys: ApiKeys
) -> None:
    prefix = api_keys.admin.rsplit("_", 1)[0]
    response = api_client_for(f"{prefix}_guessed").get("/api/v1/company")
    assert response.status_code == 401


def test_a_401_never_echoes_the_secret(api_client_for: ClientFactory) -> None:
    secret = "onh_abcdef012345_this-secret-must-not-come-back"
    response = api_client_for(secret).get("/api/v1/items")
    assert response.status_code == 401
    assert secret not in response.text
    assert "this-secret" not in response.text


def test_a_key_is_checked_before_the_body_is_parsed(api_anonymous: httpx.Client) -> None:
    response = api_anonymous.post(
        "/api/v1/adjustments", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


@pytest.mark.usefixtures("api_stocked")
def test_a_viewer_key_can_read_stock(api_viewer: httpx.Client) -> None:
    assert api_viewer.get("/api/v1/stock").status_code == 200


@pytest.mark.usefixtures("api_stocked")
def test_a_viewer_key_cannot_post_an_adjustment(api_viewer: httpx.Client, api_ledger_state) -> None:
    before = api_ledger_state()
    response = api_viewer.post("/api/v1/adjustments", json=ADJUSTMENT)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert api_ledger_state() == before


@pytest.mark.usefixtures("api_stocked")
def test_an_operator_key_can_post_an_adjustment(api_operator: httpx.Client) -> None:
    assert api_operator.post("/api/v1/adjustments", json=ADJUSTMENT).status_code == 201


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/keys", None),
        ("POST", "/api/v1/keys", {"name": "sneaky", "role": "admin"}),
        ("DELETE", "/api/v1/keys/1", None),
        ("PATCH", "/api/v1/company", {"name": "Mine now"}),
        ("POST", "/api/v1/rebuild", None),
    ],
)
def test_an_operator_key_cannot_do_what_only_an_admin_may(
    api_operator: httpx.Client, method: str, path: str, body: dict | None
) -> None:
    response = api_operator.request(method, path, json=body)
    assert response.status_code == 403


def test_a_viewer_key_cannot_create_an_item_or_a_location(api_viewer: httpx.Client) -> None:
    item = api_viewer.post("/api/v1/items", json={"sku": "X-1", "name": "X"})
    location = api_viewer.post("/api/v1/locations", json={"code": "X", "name": "X", "kind": "store"})
    assert (item.status_code, location.status_code) == (403, 403)
    assert api_viewer.get("/api/v1/items").json() == {"items": []}


def test_a_revoked_key_is_a_401(api_admin: httpx.Client, api_client_for: ClientFactory) -> None:
    created = api_admin.post("/api/v1/keys", json={"name": "temp", "role": "viewer"}).json()
    temp = api_client_for(created["secret"])
    assert temp.get("/api/v1/items").status_code == 200
    assert api_admin.delete(f"/api/v1/keys/{created['key']['id']}").status_code == 200
    assert temp.get("/api/v1/items").status_code == 401


def test_an_integration_key_handles_orders_but_manages_no_catalogue_or_settings(
    api_admin: httpx.Client, api_client_for: ClientFactory
) -> None:
    secret = api_admin.post("/api/v1/keys", json={"name": "shop", "role": "integration"}).json()["secret"]
    shop = api_client_for(secret)
    assert shop.post("/api/v1/items", json={"sku": "X-1", "name": "X"}).status_code == 403
    assert shop.post("/api/v1/locations", json={"code": "X", "name": "X", "kind": "store"}).status_code == 403
    assert shop.patch("/api/v1/company", json={"name": "Mine now"}).status_code == 403
    api_admin.post("/api/v1/items", json={"sku": "X-1", "name": "X"})
    order = shop.post("/api/v1/orders", json={"lines": [{"sku": "X-1", "quantity": "1"}]})
    assert order.status_code == 201


def test_a_burst_of_requests_with_a_key_not_read_lately_reads_it_once(
    api_client_for: ClientFactory, api_keys: ApiKeys, onhand
) -> None:
    secret = api_keys.viewer  # made, never read: every request of the burst finds it uncached
    clients = [api_client_for(secret) for _ in range(12)]
    reads: list[str] = []

    def note(_conn, _cursor, statement: str, *_args) -> None:
        if statement.startswith("SELECT") and "FROM api_keys" in statement:
            reads.append(statement)

    start = threading.Barrier(len(clients))

    def get(client: httpx.Client) -> int:
        start.wait()
        return client.get("/api/v1/items").status_code

    event.listen(onhand.engine, "before_cursor_execute", note)
    try:
        with ThreadPoolExecutor(len(clients)) as pool:
            statuses = list(pool.map(get, clients))
    finally:
        event.remove(onhand.engine, "before_cursor_execute", note)
    # The first request reads the key (in a thread on PostgreSQL); the others wait for that
    # read and find the key kept (services/key_cache.py), rather than each reading it.
    assert statuses == [200] * len(clients)
    assert len(reads) == 1, reads
