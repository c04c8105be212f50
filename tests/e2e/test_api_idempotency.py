"""The Idempotency-Key header: a retried write returns the first result and posts nothing."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.e2e.conftest import LedgerState

pytestmark = pytest.mark.usefixtures("api_stocked")

BODY = {"location": "NY", "reason": "lost", "lines": [{"sku": "TEA-1", "quantity": "-3"}]}


def test_a_replayed_adjustment_returns_the_same_posting_and_posts_nothing_new(
    api_operator: httpx.Client, api_ledger_state: Callable[[], LedgerState]
) -> None:
    first = api_operator.post("/api/v1/adjustments", json=BODY, headers={"Idempotency-Key": "adj-1"})
    assert first.status_code == 201
    after_first = api_ledger_state()
    again = api_operator.post("/api/v1/adjustments", json=BODY, headers={"Idempotency-Key": "adj-1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert api_ledger_state() == after_first
    stock = api_operator.get("/api/v1/stock", params={"sku": "TEA-1"}).json()["levels"][0]
    assert stock["on_hand"] == "7"


def test_the_same_key_with_a_different_body_is_a_409_and_posts_nothing(
    api_operator: httpx.Client, api_ledger_state: Callable[[], LedgerState]
) -> None:
    api_operator.post("/api/v1/adjustments", json=BODY, headers={"Idempotency-Key": "adj-1"})
    before = api_ledger_state()
    other = {**BODY, "lines": [{"sku": "TEA-1", "quantity": "-4"}]}
    response = api_operator.post("/api/v1/adjustments", json=other, headers={"Idempotency-Key": "adj-1"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert api_ledger_state() == before


def test_the_same_key_on_another_kind_of_write_is_a_409(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/adjustments", json=BODY, headers={"Idempotency-Key": "k-1"})
    count = {"location": "NY", "lines": [{"sku": "TEA-1", "quantity": "1"}]}
    response = api_operator.post("/api/v1/counts", json=count, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 409


def test_without_a_key_a_repeat_posts_twice(api_operator: httpx.Client) -> None:
    first = api_operator.post("/api/v1/adjustments", json=BODY).json()
    second = api_operator.post("/api/v1/adjustments", json=BODY).json()
    assert first["id"] != second["id"]


def test_a_rejected_request_does_not_use_up_its_key(api_operator: httpx.Client) -> None:
    too_much = {**BODY, "lines": [{"sku": "TEA-1", "quantity": "-11"}]}
    refused = api_operator.post("/api/v1/adjustments", json=too_much, headers={"Idempotency-Key": "k-2"})
    assert refused.status_code == 409
    accepted = api_operator.post("/api/v1/adjustments", json=BODY, headers={"Idempotency-Key": "k-2"})
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/counts", {"location": "NY", "lines": [{"sku": "TEA-1", "quantity": "8"}]}),
        ("/api/v1/relocations",
         {"source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": "2"}]}),
    ],
)
def test_counts_and_relocations_replay_too(
    api_operator: httpx.Client, api_ledger_state: Callable[[], LedgerState], path: str, body: dict
) -> None:
    first = api_operator.post(path, json=body, headers={"Idempotency-Key": "replay"})
    after_first = api_ledger_state()
    again = api_operator.post(path, json=body, headers={"Idempotency-Key": "replay"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert api_ledger_state() == after_first


def test_a_replayed_item_creation_returns_the_item_instead_of_a_409(api_operator: httpx.Client) -> None:
    body = {"sku": "MUG", "name": "Mug"}
    first = api_operator.post("/api/v1/items", json=body, headers={"Idempotency-Key": "item-1"})
    again = api_operator.post("/api/v1/items", json=body, headers={"Idempotency-Key": "item-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()


def test_a_replayed_import_returns_the_first_report(api_operator: httpx.Client) -> None:
    csv = {"Content-Type": "text/csv", "Idempotency-Key": "import-1"}
    text = "location,sku,quantity\nLA,TEA-1,5\n"
    first = api_operator.post("/api/v1/imports/opening-stock", content=text, headers=csv)
    again = api_operator.post("/api/v1/imports/opening-stock", content=text, headers=csv)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    la = api_operator.get("/api/v1/stock", params={"location": "LA"}).json()["levels"]
    assert [(lv["sku"], lv["on_hand"]) for lv in la] == [("TEA-1", "5")]


def test_a_blank_or_overlong_key_is_a_422(api_operator: httpx.Client) -> None:
    for key in ("", "k" * 201):
        response = api_operator.post("/api/v1/adjustments", json=BODY, headers={"Idempotency-Key": key})
        assert response.status_code == 422
        assert response.json()["error"]["field"] == "idempotency_key"


def test_another_keys_use_of_the_same_idempotency_key_never_returns_or_blocks_the_first_result(
    api_operator: httpx.Client, api_admin: httpx.Client
) -> None:
    headers = {"Idempotency-Key": "shared-string"}
    mine = api_operator.post("/api/v1/adjustments", json=BODY, headers=headers)
    theirs = api_admin.post("/api/v1/adjustments", json={**BODY, "lines": [{"sku": "TEA-1", "quantity": "-1"}]},
                            headers=headers)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["id"] != mine.json()["id"]
    again = api_operator.post("/api/v1/adjustments", json=BODY, headers=headers)
    assert again.json() == mine.json()
    assert api_operator.get("/api/v1/stock", params={"sku": "TEA-1"}).json()["levels"][0]["on_hand"] == "6"
