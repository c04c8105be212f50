"""Text the API cannot take is a 422 naming where it was, never a 500; what an error
echoes back is cut short."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from onhand.bootstrap import Onhand
from tests.e2e.conftest import LedgerState

pytestmark = pytest.mark.usefixtures("api_stocked")


@pytest.fixture
def unchanged(api_stocked: Onhand, api_ledger_state: Callable[[], LedgerState]) -> Iterator[None]:
    before = api_ledger_state()
    yield
    assert api_ledger_state() == before


def _post_raw(client: httpx.Client, path: str, body: str) -> httpx.Response:
    # The body is written by hand: a JSON escape of a lone surrogate, which json.dumps never makes.
    return client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param('{"location": "NY", "reason": "found", "reference": "\\udfff",'
                     ' "lines": [{"sku": "TEA-1", "quantity": "1"}]}', "reference", id="reference"),
        pytest.param('{"location": "NY", "reason": "found", "note": "half a smile \\ud83d",'
                     ' "lines": [{"sku": "TEA-1", "quantity": "1"}]}', "note", id="note"),
        pytest.param('{"location": "NY", "reason": "found", "lines": [{"sku": "\\ud83d", "quantity": "1"}]}',
                     "lines[0].sku", id="unknown-sku"),
        pytest.param('{"location": "\\ud83d", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1"}]}',
                     "location", id="location"),
    ],
)
def test_a_lone_surrogate_anywhere_in_a_body_is_a_422_naming_the_field(
    api_operator: httpx.Client, body: str, field: str
) -> None:
    response = _post_raw(api_operator, "/api/v1/adjustments", body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_input", field)
    assert "surrogate" in error["reason"]


def test_a_lone_surrogate_in_a_field_name_is_a_422_and_the_connection_stays_open(
    api_operator: httpx.Client,
) -> None:
    response = _post_raw(api_operator, "/api/v1/items", '{"sku": "X", "name": "x", "\\udfff": 1}')
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "\\udfff"
    assert response.headers.get("connection") != "close"
    assert api_operator.get("/api/v1/items/TEA-1").status_code == 200


@pytest.mark.usefixtures("unchanged")
def test_an_unknown_sku_of_a_megabyte_is_echoed_cut_short(api_operator: httpx.Client) -> None:
    sku = "S" * 1_000_000
    response = api_operator.post(
        "/api/v1/adjustments",
        json={"location": "NY", "reason": "found", "lines": [{"sku": sku, "quantity": "1"}]},
    )
    assert response.status_code == 404, response.text[:200]
    assert len(response.content) < 1_000
    error = response.json()["error"]
    assert error["key"].startswith("S" * 100) and error["key"].endswith("(1000000 characters)")


def test_an_unknown_field_name_of_a_megabyte_is_echoed_cut_short(api_operator: httpx.Client) -> None:
    response = api_operator.post("/api/v1/items", json={"sku": "X", "name": "x", "n" * 1_000_000: 1})
    assert response.status_code == 422, response.text[:200]
    assert len(response.content) < 2_000
