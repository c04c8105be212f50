"""Cycle counts over HTTP: ABC classes, the plan, a session opened, counted blind,
reviewed and posted; bad input names its field and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("api_stocked")


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_a_session_is_counted_blind_reviewed_and_posted(
    api_operator: httpx.Client, api_viewer: httpx.Client, api_ledger_state
) -> None:
    classes = _ok(api_viewer.get("/api/v1/abc"))
    assert classes["window_days"] == 365
    assert {(i["sku"], i["value"], i["abc_class"]) for i in classes["items"]} == {
        ("TEA-1", "0", "C"), ("RICE-5", "0", "C"), ("HONEY", "0", "C")}
    plan = _ok(api_viewer.get("/api/v1/cycle-counts/plan", params={"site": "NY"}))
    assert sorted((d["sku"], d["location"], d["last_counted"]) for d in plan["due"]) == [
        ("HONEY", "NY", None), ("RICE-5", "NY", None), ("TEA-1", "NY", None)]
    assert "on_hand" not in plan["due"][0]  # counters read the plan: no book in it

    session = _ok(api_operator.post("/api/v1/cycle-counts", json={"location": "NY"}), 201)
    sid = session["id"]
    assert session["status"] == "open" and "10" not in str(session["lines"])  # the book is not shown
    assert {line["sku"]: line["counted"] for line in session["lines"]} == {"HONEY": None, "RICE-5": None,
                                                                           "TEA-1": None}
    for body in ({"sku": "TEA-1", "quantity": "9"}, {"sku": "RICE-5", "quantity": "2.5"},
                 {"sku": "HONEY", "quantity": 6, "lot": "H1"}):
        counted = _ok(api_operator.post(f"/api/v1/cycle-counts/{sid}/counts", json=body))
    assert set(counted["lines"][0]) == {"sku", "lot", "counted"}
    assert api_viewer.post(f"/api/v1/cycle-counts/{sid}/counts", json={"sku": "TEA-1", "quantity": "1"}
                           ).status_code == 403
    assert api_viewer.get(f"/api/v1/cycle-counts/{sid}/review").status_code == 403

    review = _ok(api_operator.get(f"/api/v1/cycle-counts/{sid}/review"))
    assert {line["sku"]: (line["frozen"], line["moved_since"], line["expected"], line["counted"],
                          line["difference"]) for line in review["lines"]}["TEA-1"] == ("10", "0", "10", "9", "-1")

    posted = _ok(api_operator.post(f"/api/v1/cycle-counts/{sid}/post", json={}))
    assert posted["status"] == "posted" and posted["posting_id"]
    assert _ok(api_viewer.get("/api/v1/stock", params={"sku": "TEA-1"}))["levels"][0]["on_hand"] == "9"
    assert _ok(api_viewer.get("/api/v1/cycle-counts/plan", params={"site": "NY"}))["due"] == []
    before = api_ledger_state()
    assert api_operator.post(f"/api/v1/cycle-counts/{sid}/post", json={}).status_code == 409
    assert api_operator.post(f"/api/v1/cycle-counts/{sid}/cancel").status_code == 409
    assert api_ledger_state() == before
    assert [s["id"] for s in _ok(api_viewer.get("/api/v1/cycle-counts", params={"status": "posted"}))["sessions"]
            ] == [sid]


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"sku": "TEA-1", "quantity": "-1"}, 422, "quantity"),
    ({"sku": "TEA-1", "quantity": "1.5"}, 422, "quantity"),
    ({"sku": "HONEY", "quantity": "1"}, 422, "lot"),
    ({"sku": "NOPE", "quantity": "1"}, 404, "sku"),
    ({"sku": "TEA-1", "quantity": "1", "extra": 1}, 422, "extra"),
])
def test_a_bad_count_names_its_field_and_changes_nothing(api_operator: httpx.Client, body, status, field) -> None:
    sid = _ok(api_operator.post("/api/v1/cycle-counts", json={"location": "NY", "skus": ["TEA-1", "HONEY"]}), 201)["id"]

    response = api_operator.post(f"/api/v1/cycle-counts/{sid}/counts", json=body)

    assert response.status_code == status and field in response.text, response.text
    assert all(line["counted"] is None for line in _ok(api_operator.get(f"/api/v1/cycle-counts/{sid}"))["lines"])


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/abc", {"window_days": 0}, "window_days"),
    ("/api/v1/abc", {"a_percent": "abc"}, "a_percent"),
    ("/api/v1/cycle-counts/plan", {"site": "NY-A1"}, "site"),
    ("/api/v1/cycle-counts/plan", {"site": "NY", "c_days": 0}, "c_days"),
    ("/api/v1/cycle-counts", {"status": "done"}, "status"),
])
def test_bad_reads_name_their_field(api_viewer: httpx.Client, path, params, field) -> None:
    response = api_viewer.get(path, params=params)
    assert response.status_code == 422 and field in response.text, response.text


def test_unknown_and_impossible_sessions_are_refused(api_operator: httpx.Client) -> None:
    assert api_operator.get("/api/v1/cycle-counts/999").status_code == 404
    assert api_operator.get("/api/v1/cycle-counts/0/review").status_code == 422
    empty = api_operator.post("/api/v1/cycle-counts", json={"location": "LA"})
    assert empty.status_code == 422 and "location" in empty.text
