"""Adjustments, counts and relocations posted over HTTP; stock levels and history read back."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("api_stocked")


def _stock(client: httpx.Client, **params: str) -> dict[tuple, str]:
    levels = client.get("/api/v1/stock", params={"group_by": "balance", **params}).json()["levels"]
    return {(lv["sku"], lv["location"], lv["lot"]): lv["on_hand"] for lv in levels}


def test_an_adjustment_is_posted_and_returned_with_its_moves(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/adjustments",
        json={
            "location": "NY", "reason": "damaged", "reference": "INC-7", "note": "forklift",
            "lines": [{"sku": "TEA-1", "quantity": "-2"}, {"sku": "RICE-5", "quantity": "0.25"}],
        },
    )
    assert response.status_code == 201
    posting = response.json()
    assert (posting["kind"], posting["reason"], posting["reference"], posting["note"]) == (
        "adjustment", "damaged", "INC-7", "forklift",
    )
    moves = {(m["sku"], m["from_location"], m["to_location"], m["quantity"]) for m in posting["moves"]}
    assert moves == {("TEA-1", "NY", "ADJUSTMENT", "2"), ("RICE-5", "ADJUSTMENT", "NY", "0.25")}
    assert _stock(api_operator, location="NY")[("RICE-5", "NY", None)] == "2.75"


def test_json_numbers_are_taken_exactly_as_written(api_operator: httpx.Client) -> None:
    body = b'{"location": "NY", "reason": "found", "lines": [{"sku": "RICE-5", "quantity": 0.1}]}'
    response = api_operator.post(
        "/api/v1/adjustments", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201
    assert response.json()["moves"][0]["quantity"] == "0.1"
    assert _stock(api_operator)[("RICE-5", "NY", None)] == "2.6"


def test_a_posting_is_read_back_by_its_id(api_operator: httpx.Client) -> None:
    posted = api_operator.post(
        "/api/v1/adjustments",
        json={"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": 1}]},
    ).json()
    response = api_operator.get(f"/api/v1/postings/{posted['id']}")
    assert response.status_code == 200
    assert response.json() == posted


def test_an_unknown_posting_is_a_404(api_viewer: httpx.Client) -> None:
    response = api_viewer.get("/api/v1/postings/999999")
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "posting_id"


def test_a_count_posts_only_the_difference(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/counts",
        json={"location": "NY", "lines": [
            {"sku": "TEA-1", "quantity": "7"},
            {"sku": "HONEY", "lot": "H1", "quantity": "6"},
        ]},
    )
    assert response.status_code == 201
    posting = response.json()
    assert (posting["kind"], posting["reason"]) == ("count", "count")
    assert [(m["sku"], m["quantity"], m["to_location"]) for m in posting["moves"]] == [
        ("TEA-1", "3", "ADJUSTMENT")
    ]
    assert _stock(api_operator)[("TEA-1", "NY", None)] == "7"


def test_a_relocation_moves_stock_into_a_bin(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/relocations",
        json={"source": "NY", "destination": "NY-A1", "reference": "PUTAWAY-1", "lines": [
            {"sku": "TEA-1", "quantity": "4"}, {"sku": "HONEY", "lot": "H1", "quantity": "1"},
        ]},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "relocation"
    stock = _stock(api_operator)
    assert stock[("TEA-1", "NY", None)] == "6"
    assert stock[("TEA-1", "NY-A1", None)] == "4"
    assert stock[("HONEY", "NY-A1", "H1")] == "1"


def test_stock_is_grouped_as_asked(api_viewer: httpx.Client, api_operator: httpx.Client) -> None:
    api_operator.post(
        "/api/v1/relocations",
        json={"source": "NY", "destination": "NY-A1", "lines": [{"sku": "TEA-1", "quantity": "4"}]},
    )
    by_item = api_viewer.get("/api/v1/stock", params={"sku": "TEA-1"}).json()
    assert by_item == {
        "levels": [{"sku": "TEA-1", "location": None, "lot": None, "on_hand": "10", "reserved": "0",
                    "available": "10", "expiry_date": None, "negative": False,
                    "in_transit": "0", "in_transit_expected": None,
                    "incoming": "0", "incoming_expected": None}],
        "warnings": [],
    }
    by_site = api_viewer.get("/api/v1/stock", params={"sku": "TEA-1", "group_by": "location"}).json()
    assert [(lv["location"], lv["on_hand"]) for lv in by_site["levels"]] == [("NY", "10")]
    by_bin = api_viewer.get("/api/v1/stock", params={"sku": "TEA-1", "group_by": "bin"}).json()
    assert [(lv["location"], lv["on_hand"]) for lv in by_bin["levels"]] == [("NY", "6"), ("NY-A1", "4")]
    by_lot = api_viewer.get("/api/v1/stock", params={"sku": "HONEY", "lot": "H1", "group_by": "lot"}).json()
    assert [(lv["lot"], lv["on_hand"], lv["expiry_date"]) for lv in by_lot["levels"]] == [
        ("H1", "6", "2026-12-31")
    ]
    in_bin = api_viewer.get("/api/v1/stock", params={"location": "NY-A1"}).json()["levels"]
    assert [(lv["sku"], lv["on_hand"]) for lv in in_bin] == [("TEA-1", "4")]


def test_a_stock_query_with_a_lot_but_no_sku_is_a_422(api_viewer: httpx.Client) -> None:
    response = api_viewer.get("/api/v1/stock", params={"lot": "H1"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "lot"


def test_an_unknown_grouping_is_a_422_naming_group_by(api_viewer: httpx.Client) -> None:
    response = api_viewer.get("/api/v1/stock", params={"group_by": "colour"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "group_by"


def test_history_lists_moves_newest_first_and_pages_backwards(
    api_viewer: httpx.Client, api_operator: httpx.Client
) -> None:
    for quantity in ("1", "2", "3"):
        api_operator.post(
            "/api/v1/adjustments",
            json={"location": "NY", "reason": "found", "lines": [{"sku": "TEA-1", "quantity": quantity}]},
        )
    first = api_viewer.get("/api/v1/moves", params={"sku": "TEA-1", "limit": 2}).json()
    assert [m["quantity"] for m in first["moves"]] == ["3", "2"]
    assert first["next_before_id"] == first["moves"][-1]["id"]
    rest = api_viewer.get(
        "/api/v1/moves", params={"sku": "TEA-1", "limit": 2, "before_id": first["next_before_id"]}
    ).json()
    assert [m["quantity"] for m in rest["moves"]] == ["1", "10"]
    last = api_viewer.get(
        "/api/v1/moves", params={"sku": "TEA-1", "limit": 2, "before_id": rest["next_before_id"]}
    ).json()
    assert last == {"moves": [], "next_before_id": None}
    honey = api_viewer.get("/api/v1/moves", params={"sku": "HONEY", "lot": "H1"}).json()["moves"]
    assert [(m["lot"], m["posting_kind"], m["reason"]) for m in honey] == [("H1", "adjustment", "found")]
    at_ny = api_viewer.get("/api/v1/moves", params={"location": "NY"}).json()
    assert len(at_ny["moves"]) == 6
    assert at_ny["next_before_id"] is None


def test_history_of_an_unknown_location_is_a_404(api_viewer: httpx.Client) -> None:
    response = api_viewer.get("/api/v1/moves", params={"location": "NOWHERE"})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "location"
