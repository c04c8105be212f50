"""Bad requests get one clear error naming the field, and change nothing in the ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from onhand.bootstrap import Onhand
from tests.e2e.conftest import LedgerState

pytestmark = pytest.mark.usefixtures("api_stocked")


@pytest.fixture
def unchanged(api_stocked: Onhand, api_ledger_state: Callable[[], LedgerState]) -> Iterator[None]:
    """The test's requests must leave moves and balances exactly as they were."""
    before = api_ledger_state()
    yield
    assert api_ledger_state() == before


def _adjust(client: httpx.Client, *lines: dict[str, Any], **fields: Any) -> httpx.Response:
    body = {"location": "NY", "reason": "found", "lines": list(lines), **fields}
    return client.post("/api/v1/adjustments", json=body)


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


@pytest.mark.usefixtures("unchanged")
def test_an_unknown_sku_is_a_404_naming_the_line(api_operator: httpx.Client) -> None:
    response = _adjust(api_operator, {"sku": "TEA-1", "quantity": "1"}, {"sku": "NOPE", "quantity": "1"})
    error = _error(response, 404)
    assert (error["code"], error["field"], error["key"]) == ("not_found", "lines[1].sku", "NOPE")


@pytest.mark.usefixtures("unchanged")
def test_an_unknown_location_or_reason_is_a_404_naming_it(api_operator: httpx.Client) -> None:
    line = {"sku": "TEA-1", "quantity": "1"}
    assert _error(_adjust(api_operator, line, location="MARS"), 404)["field"] == "location"
    assert _error(_adjust(api_operator, line, reason="gremlins"), 404)["field"] == "reason"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/counts", {"location": "NY", "lines": [{"sku": "TEA-1", "quantity": "-1"}]}),
        ("/api/v1/relocations",
         {"source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": -1}]}),
        ("/api/v1/relocations",
         {"source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": "0"}]}),
        ("/api/v1/adjustments",
         {"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "0"}]}),
    ],
)
def test_a_negative_or_zero_quantity_where_not_allowed_is_a_422_naming_it(
    api_operator: httpx.Client, path: str, body: dict[str, Any]
) -> None:
    error = _error(api_operator.post(path, json=body), 422)
    assert (error["code"], error["field"]) == ("invalid_input", "lines[0].quantity")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("line", "reason_part"),
    [
        ({"sku": "TEA-1", "quantity": "1.5"}, "more precise"),
        ({"sku": "TEA-1", "quantity": 1.5}, "more precise"),
        ({"sku": "RICE-5", "quantity": "0.0001"}, "more precise"),
        ({"sku": "TEA-1", "quantity": "lots"}, "not a number"),
        ({"sku": "TEA-1", "quantity": "Infinity"}, "not a number"),
        ({"sku": "TEA-1", "quantity": True}, "decimal string"),
        ({"sku": "TEA-1", "quantity": None}, "decimal string"),
        ({"sku": "TEA-1", "quantity": "1e12"}, "not a number"),
        ({"sku": "TEA-1", "quantity": 10**12}, "too large"),
        ({"sku": "TEA-1"}, "required"),
    ],
)
def test_a_bad_quantity_is_a_422_naming_lines_0_quantity(
    api_operator: httpx.Client, line: dict[str, Any], reason_part: str
) -> None:
    error = _error(_adjust(api_operator, line), 422)
    assert error["field"] == "lines[0].quantity"
    assert reason_part in error["reason"]


@pytest.mark.usefixtures("unchanged")
def test_a_lot_tracked_item_without_a_lot_is_a_422(api_operator: httpx.Client) -> None:
    for path, body in [
        ("/api/v1/adjustments",
         {"location": "NY", "reason": "lost", "lines": [{"sku": "HONEY", "quantity": "-1"}]}),
        ("/api/v1/counts", {"location": "NY", "lines": [{"sku": "HONEY", "quantity": "1"}]}),
        ("/api/v1/relocations",
         {"source": "NY", "destination": "LA", "lines": [{"sku": "HONEY", "quantity": "1"}]}),
    ]:
        error = _error(api_operator.post(path, json=body), 422)
        assert error["field"].endswith("[0].lot")
        assert "lot" in error["reason"]


@pytest.mark.usefixtures("unchanged")
def test_a_lot_on_an_untracked_item_is_a_422(api_operator: httpx.Client) -> None:
    error = _error(_adjust(api_operator, {"sku": "TEA-1", "quantity": "1", "lot": "X1"}), 422)
    assert error["field"] == "lines[0].lot"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "raw",
    [
        b'{"location": "NY", "lines": [', b"not json at all", b'{"location": NaN}', b"\xff\xfe\x00",
        b"[[[[" * 50_000,
    ],
)
def test_a_malformed_json_body_is_a_422_naming_the_body(api_operator: httpx.Client, raw: bytes) -> None:
    response = api_operator.post(
        "/api/v1/adjustments", content=raw, headers={"Content-Type": "application/json"}
    )
    error = _error(response, 422)
    assert (error["code"], error["field"]) == ("invalid_input", "body")
    assert "JSON" in error["reason"]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("content", "headers", "field"),
    [
        (b"", {"Content-Type": "application/json"}, "body"),
        (b'{"location": "NY"}', {}, "body"),
        (b"[]", {"Content-Type": "application/json"}, "body"),
        (b'{"location": "NY", "reason": "found", "lines": {}}',
         {"Content-Type": "application/json"}, "lines"),
        (b'{"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": "1", "qty": 2}]}',
         {"Content-Type": "application/json"}, "lines[0].qty"),
        (b'{"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1\\u0000", "quantity": "1"}]}',
         {"Content-Type": "application/json"}, "lines[0].sku"),
    ],
)
def test_a_body_of_the_wrong_shape_is_one_422_naming_the_first_bad_field(
    api_operator: httpx.Client, content: bytes, headers: dict[str, str], field: str
) -> None:
    error = _error(api_operator.post("/api/v1/adjustments", content=content, headers=headers), 422)
    assert error["field"] == field
    assert error["message"] == f"{field}: {error['reason']}"


@pytest.mark.usefixtures("unchanged")
def test_insufficient_stock_is_a_409_listing_every_short_line(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/relocations",
        json={"source": "NY", "destination": "LA", "lines": [
            {"sku": "TEA-1", "quantity": "11"},
            {"sku": "RICE-5", "quantity": "1"},
            {"sku": "HONEY", "lot": "H1", "quantity": "7"},
        ]},
    )
    error = _error(response, 409)
    assert error["code"] == "insufficient_stock"
    shortages = {
        (s["sku"], s["location"], s["lot"], s["requested"], s["available"]) for s in error["shortages"]
    }
    assert shortages == {("TEA-1", "NY", None, "11", "10"), ("HONEY", "NY", "H1", "7", "6")}


@pytest.mark.usefixtures("unchanged")
def test_an_adjustment_taking_more_than_on_hand_is_a_409(api_operator: httpx.Client) -> None:
    error = _error(_adjust(api_operator, {"sku": "RICE-5", "quantity": "-2.501"}, reason="lost"), 409)
    assert [(s["sku"], s["requested"], s["available"]) for s in error["shortages"]] == [
        ("RICE-5", "2.501", "2.5")
    ]


@pytest.mark.usefixtures("unchanged")
def test_a_relocation_to_a_virtual_location_or_to_itself_is_a_422(api_operator: httpx.Client) -> None:
    line = [{"sku": "TEA-1", "quantity": "1"}]
    virtual = api_operator.post(
        "/api/v1/relocations", json={"source": "NY", "destination": "CUSTOMER", "lines": line}
    )
    assert _error(virtual, 422)["field"] == "destination"
    itself = api_operator.post(
        "/api/v1/relocations", json={"source": "NY", "destination": "NY", "lines": line}
    )
    assert _error(itself, 422)["field"] == "destination"


@pytest.mark.usefixtures("unchanged")
def test_an_empty_posting_is_a_422_naming_lines(api_operator: httpx.Client) -> None:
    assert _error(_adjust(api_operator), 422)["field"] == "lines"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "many"}, {"before_id": str(10**20)}, {"sku": "TEA-1", "lot": "\x00"}],
)
def test_bad_history_parameters_are_a_422_naming_them(
    api_viewer: httpx.Client, params: dict[str, str]
) -> None:
    error = _error(api_viewer.get("/api/v1/moves", params=params), 422)
    assert error["field"] in params


@pytest.mark.usefixtures("unchanged")
def test_a_posting_id_out_of_range_is_a_422_not_a_crash(api_viewer: httpx.Client) -> None:
    assert _error(api_viewer.get(f"/api/v1/postings/{10**20}"), 422)["field"] == "posting_id"
    assert _error(api_viewer.get("/api/v1/postings/first"), 422)["field"] == "posting_id"
