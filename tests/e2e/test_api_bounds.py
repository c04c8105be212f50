"""The attack of issue 13: adjustments of hundreds of lines of 10^9 units each.

Before, SQLite's balance silently became a REAL (9.3e18), the ledger stopped summing to
zero and /verify and /valuation answered 500; PostgreSQL answered 500 ("bigint out of
range"). Now the posting that would leave the range is a 409 naming the item and
location, nothing is written, and the books still verify.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from onhand.bootstrap import Onhand

pytestmark = pytest.mark.usefixtures("api_stocked")

LINES = 600  # of 10^9 each: twice is past the 10^12 a balance holds


def _adjust_many(client: httpx.Client) -> httpx.Response:
    body: dict[str, Any] = {"location": "NY", "reason": "found",
                            "lines": [{"sku": "TEA-1", "quantity": "1000000000"}] * LINES}
    return client.post("/api/v1/adjustments", json=body)


def test_an_adjustment_past_what_a_balance_holds_is_a_409_naming_item_and_location(
    api_operator: httpx.Client,
) -> None:
    assert _adjust_many(api_operator).status_code == 201
    refused = _adjust_many(api_operator)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["sku"], error["location"], error["what"]) == ("out_of_range", "TEA-1", "NY", "on hand")
    assert (error["total"], error["limit"]) == ("1200000000010", "1000000000000")
    verified = api_operator.get("/api/v1/verify")
    assert verified.status_code == 200 and verified.json()["ok"], verified.text
    valued = api_operator.get("/api/v1/valuation")
    assert valued.status_code == 200, valued.text
    stock = api_operator.get("/api/v1/stock", params={"sku": "TEA-1"}).json()["levels"]
    assert [level["on_hand"] for level in stock] == ["600000000010"]


def test_verify_and_valuation_answer_whatever_sqlite_holds_in_a_balance(
    api_stocked: Onhand, api_viewer: httpx.Client
) -> None:
    if api_stocked.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite stores a REAL in an integer column")
    with api_stocked.engine.begin() as conn:  # what an overflowing sum left there before
        conn.execute(text("UPDATE balances SET on_hand = 9.3e18 WHERE on_hand = 10000000"))
    verified = api_viewer.get("/api/v1/verify")
    assert verified.status_code == 200, verified.text
    report = verified.json()
    assert report["ok"] is False
    (found,) = report["stored_out_of_range"]
    assert (found["what"], found["sku"], found["location"]) == ("on hand", "TEA-1", "NY")
    assert api_viewer.get("/api/v1/valuation").status_code == 200
