"""CSV imports over HTTP: raw text/csv bodies or multipart uploads, with per-row reports."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.e2e.conftest import LedgerState

CSV = {"Content-Type": "text/csv"}


def test_items_are_imported_from_a_csv_body(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/imports/items",
        content="sku,name,unit,tracking\nTEA-1,Green tea,each,none\nRICE-5,Rice,kg,\n",
        headers=CSV,
    )
    assert response.status_code == 200
    report = response.json()
    assert (report["kind"], report["ok"], report["rows_total"]) == ("items", True, 2)
    assert report["rows_imported"] == 2
    assert report["errors"] == []
    assert api_operator.get("/api/v1/items/RICE-5").json()["unit"] == "kg"


def test_locations_are_imported_from_a_multipart_upload(api_operator: httpx.Client) -> None:
    text = b"code,name,kind,parent,country\nNY,New York,warehouse,,US\nNY-A1,Aisle A1,bin,NY,\n"
    response = api_operator.post(
        "/api/v1/imports/locations", files={"file": ("locations.csv", text, "text/csv")}
    )
    assert response.status_code == 200
    assert response.json()["rows_imported"] == 2
    bin_ = api_operator.get("/api/v1/locations/NY-A1").json()
    assert bin_["parent_id"] == api_operator.get("/api/v1/locations/NY").json()["id"]


def test_opening_stock_is_imported_as_one_posting(api_operator: httpx.Client) -> None:
    api_operator.post(
        "/api/v1/imports/locations", content="code,name,kind\nNY,New York,warehouse\n", headers=CSV
    )
    api_operator.post(
        "/api/v1/imports/items",
        content="sku,name,unit,tracking\nTEA-1,Tea,each,none\nHONEY,Honey,each,lot\n",
        headers=CSV,
    )
    response = api_operator.post(
        "/api/v1/imports/opening-stock",
        content="location,sku,quantity,lot,expiry_date\nNY,TEA-1,12,,\nNY,HONEY,5,H1,2027-01-31\n",
        headers=CSV,
    )
    assert response.status_code == 200
    report = response.json()
    posting = api_operator.get(f"/api/v1/postings/{report['posting_id']}").json()
    assert posting["kind"] == "opening"
    assert sorted((m["sku"], m["lot"], m["quantity"]) for m in posting["moves"]) == [
        ("HONEY", "H1", "5"), ("TEA-1", None, "12")
    ]


def test_an_all_or_nothing_import_with_bad_rows_is_a_422_listing_each_and_writes_nothing(
    api_operator: httpx.Client,
) -> None:
    response = api_operator.post(
        "/api/v1/imports/items",
        content="sku,name,unit\nTEA-1,Tea,each\nBAD SKU,Bad,each\nRICE-5,,kg\nOIL,Oil,barrel\n",
        headers=CSV,
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["error"]["code"], body["error"]["field"]) == ("invalid_input", "file")
    assert body["report"]["rows_imported"] == 0
    assert [(e["line"], e["field"]) for e in body["report"]["errors"]] == [
        (3, "sku"), (4, "name"), (5, "unit")
    ]
    assert api_operator.get("/api/v1/items").json() == {"items": []}


def test_a_good_rows_import_writes_the_good_rows_and_lists_the_bad(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/imports/items",
        params={"policy": "good-rows"},
        content="sku,name\nTEA-1,Tea\nBAD SKU,Bad\n",
        headers=CSV,
    )
    assert response.status_code == 200
    report = response.json()
    assert (report["ok"], report["rows_imported"], len(report["errors"])) == (False, 1, 1)
    assert [i["sku"] for i in api_operator.get("/api/v1/items").json()["items"]] == ["TEA-1"]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("", "file"),
        ('sku,name\nTEA-1,"unterminated\n', "line 2"),
        ("sku,name\nTEA-1,Tea,extra\n", "line 2"),
        ("sku,colour\nTEA-1,red\n", "column 'colour'"),
        ("name\nTea\n", "column 'sku'"),
        (b"sku,name\nTEA-1,\xff\n", "file"),
        ("sku,name\nTEA-1,T\x00a\n", "file"),
    ],
)
def test_a_malformed_csv_is_a_422_and_writes_nothing(
    api_operator: httpx.Client,
    api_ledger_state: Callable[[], LedgerState],
    content: str | bytes,
    field: str,
) -> None:
    before = api_ledger_state()
    response = api_operator.post("/api/v1/imports/items", content=content, headers=CSV)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert api_operator.get("/api/v1/items").json() == {"items": []}
    assert api_ledger_state() == before


def test_a_multipart_upload_without_a_file_field_is_a_422(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/imports/items", files={"upload": ("items.csv", b"sku,name\nA,B\n", "text/csv")}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "file"


def test_an_unknown_import_policy_is_a_422_naming_it(api_operator: httpx.Client) -> None:
    response = api_operator.post(
        "/api/v1/imports/items", params={"policy": "some"}, content="sku,name\nA,B\n", headers=CSV
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "policy"


def test_a_viewer_cannot_import(api_viewer: httpx.Client) -> None:
    response = api_viewer.post("/api/v1/imports/items", content="sku,name\nA,B\n", headers=CSV)
    assert response.status_code == 403


def test_a_dry_run_upsert_answers_what_would_change(api_operator: httpx.Client) -> None:
    api_operator.post("/api/v1/imports/items", content="sku,name\nTEA-1,Tea\n", headers=CSV)
    response = api_operator.post(
        "/api/v1/imports/items", params={"mode": "upsert", "dry_run": "true"},
        content="sku,name,unit\nTEA-1,Sencha,\nBAD SKU,,parsec\n", headers=CSV,
    )
    assert response.status_code == 200
    report = response.json()
    assert (report["dry_run"], report["ok"]) == (True, False)
    assert report["changes"] == [{"line": 2, "key": "TEA-1", "outcome": "updated",
                                  "fields": [{"field": "name", "old": "Tea", "new": "Sencha"}]}]
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(3, "sku"), (3, "name"), (3, "unit")]
    assert api_operator.get("/api/v1/items/TEA-1").json()["name"] == "Tea"
