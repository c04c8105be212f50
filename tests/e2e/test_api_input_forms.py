"""Numbers and moments the API takes: exactly the published form, within bounds, else a
422 naming the field, with nothing written (never a 500)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

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


def _post(client: httpx.Client, path: str, body: dict[str, Any], **raw_numbers: str) -> httpx.Response:
    """POST `body` as JSON; each `raw_numbers` value replaces the string "<name>" verbatim,
    so a body can carry a JSON number no Python float holds (1e400)."""
    text = json.dumps(body)
    for name, literal in raw_numbers.items():
        text = text.replace(f'"<{name}>"', literal)
    return client.post(path, content=text, headers={"Content-Type": "application/json"})


def _refused(response: httpx.Response, field: str) -> str:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_input", field)
    return str(error["reason"])


ADJUST = {"location": "NY", "reason": "found"}


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("text", ["1_0", "1e1", "+1", " 1 ", "\u0661", "\uff11", "1\n", "0x1", "1."])
def test_a_quantity_in_any_but_the_published_form_is_refused(api_operator: httpx.Client, text: str) -> None:
    body = {**ADJUST, "lines": [{"sku": "TEA-1", "quantity": text}]}
    assert "not a number" in _refused(api_operator.post("/api/v1/adjustments", json=body), "lines[0].quantity")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("text", ["1e1", "+1", " 1 ", "\u0661", "\uff11"])
def test_a_unit_cost_price_or_rate_in_any_but_the_published_form_is_refused(
    api_operator: httpx.Client, text: str
) -> None:
    found = {**ADJUST, "lines": [{"sku": "TEA-1", "quantity": "1", "unit_cost": text}]}
    _refused(api_operator.post("/api/v1/adjustments", json=found), "lines[0].unit_cost")
    order = {"lines": [{"sku": "TEA-1", "quantity": "1", "unit_price": text}]}
    _refused(api_operator.post("/api/v1/orders", json=order), "lines[0].unit_price")
    foreign = {"currency": "EUR", "exchange_rate": text, "lines": [{"sku": "TEA-1", "quantity": "1"}]}
    _refused(api_operator.post("/api/v1/orders", json=foreign), "exchange_rate")


def test_a_json_number_is_a_number_whatever_its_notation(api_operator: httpx.Client) -> None:
    body = {**ADJUST, "lines": [{"sku": "TEA-1", "quantity": "<q>", "unit_cost": "<c>"}]}
    response = _post(api_operator, "/api/v1/adjustments", body, q="1e1", c="2.5E0")
    assert response.status_code == 201, response.text
    assert [m["quantity"] for m in response.json()["moves"]] == ["10"]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("literal", ['"1e400"', "1e400", "1E+400", '"1000000000000.000001"', "-1e400"])
def test_a_huge_unit_cost_on_an_adjustment_or_count_is_a_422_naming_it(
    api_operator: httpx.Client, literal: str
) -> None:
    line = {"sku": "TEA-1", "quantity": "1", "unit_cost": "<cost>"}
    adjusted = _post(api_operator, "/api/v1/adjustments", {**ADJUST, "lines": [line]}, cost=literal)
    _refused(adjusted, "lines[0].unit_cost")
    counted = _post(api_operator, "/api/v1/counts", {"location": "NY", "lines": [{**line, "quantity": "11"}]},
                    cost=literal)
    _refused(counted, "lines[0].unit_cost")


@pytest.mark.parametrize("literal", ['"1e400"', "1e400", "1E+400", '"1000000000000.000001"'])
def test_a_huge_unit_price_or_exchange_rate_on_an_order_is_a_422_naming_it(
    api_operator: httpx.Client, literal: str
) -> None:
    priced = {"lines": [{"sku": "TEA-1", "quantity": "1", "unit_price": "<price>"}]}
    _refused(_post(api_operator, "/api/v1/orders", priced, price=literal), "lines[0].unit_price")
    rated = {"currency": "EUR", "exchange_rate": "<rate>", "lines": [{"sku": "TEA-1", "quantity": "1"}]}
    _refused(_post(api_operator, "/api/v1/orders", rated, rate=literal), "exchange_rate")
    assert api_operator.get("/api/v1/orders").json()["orders"] == []


def test_an_order_line_totalling_more_than_money_can_hold_is_a_422_naming_its_price(
    api_operator: httpx.Client,
) -> None:
    order = {"lines": [{"sku": "TEA-1", "quantity": "1000000000", "unit_price": "1000.01"}]}
    assert "more than" in _refused(api_operator.post("/api/v1/orders", json=order), "lines[0].unit_price")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("cost", ["1e400", "+1", "1_0"])
def test_a_bad_unit_cost_in_the_opening_stock_import_is_a_422_naming_the_row(
    api_operator: httpx.Client, cost: str
) -> None:
    csv = f"location,sku,quantity,unit_cost\nNY,TEA-1,5,{cost}\n"
    response = api_operator.post("/api/v1/imports/opening-stock", content=csv.encode(),
                                 headers={"Content-Type": "text/csv"})
    assert response.status_code == 422, response.text
    (row,) = response.json()["report"]["errors"]
    assert (row["line"], row["field"]) == (2, "unit_cost")
    assert "not a number" in row["reason"]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01",
                                    "1899-12-31T23:59:59Z"])
def test_an_effective_at_outside_the_range_of_moments_is_a_422_naming_it(
    api_operator: httpx.Client, moment: str
) -> None:
    body = {**ADJUST, "lines": [{"sku": "TEA-1", "quantity": "1"}], "effective_at": moment}
    assert "between" in _refused(api_operator.post("/api/v1/adjustments", json=body), "effective_at")
    count = {"location": "NY", "lines": [{"sku": "TEA-1", "quantity": "11"}], "effective_at": moment}
    _refused(api_operator.post("/api/v1/counts", json=count), "effective_at")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_valuation_at_a_moment_outside_the_range_is_a_422_naming_at(
    api_viewer: httpx.Client, moment: str
) -> None:
    _refused(api_viewer.get("/api/v1/valuation", params={"at": moment}), "at")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_range_of_dates_is_a_422_naming_it_never_a_500(
    api_admin: httpx.Client, day: str
) -> None:
    _refused(api_admin.get(f"/api/v1/journals/{day}"), "day")
    _refused(api_admin.get("/api/v1/journals", params={"to": day}), "to")
    _refused(api_admin.get("/api/v1/journals/reconciliation", params={"from": day}), "from")
    _refused(api_admin.post(f"/api/v1/journals/{day}/post"), "day")
    order = {"requested_ship_date": day, "lines": [{"sku": "TEA-1", "quantity": "1"}]}
    _refused(api_admin.post("/api/v1/orders", json=order), "requested_ship_date")
    found = {**ADJUST, "lines": [{"sku": "HONEY", "quantity": "1", "lot": "H9", "expiry_date": day}]}
    _refused(api_admin.post("/api/v1/adjustments", json=found), "lines[0].expiry_date")


def test_a_ship_date_a_century_out_with_a_century_of_shelf_life_still_allocates(api_admin: httpx.Client) -> None:
    assert api_admin.patch("/api/v1/company", json={"min_remaining_shelf_life_days": 36500}).status_code == 200
    order = {"requested_ship_date": "9899-12-31", "lines": [{"sku": "HONEY", "quantity": "1"}]}
    created = api_admin.post("/api/v1/orders", json=order)
    assert created.status_code == 201, created.text
    allocated = api_admin.post(f"/api/v1/orders/{created.json()['reference']}/allocate")
    assert allocated.status_code == 200, allocated.text
    assert allocated.json()["status"] == "backordered"  # lot H1 expires 2026-12-31


@pytest.mark.usefixtures("unchanged")
def test_a_json_number_beyond_any_exponent_decimal_holds_is_a_422_not_a_500(api_operator: httpx.Client) -> None:
    body = {**ADJUST, "lines": [{"sku": "TEA-1", "quantity": "<q>"}]}
    response = _post(api_operator, "/api/v1/adjustments", body, q="1e99999999999999999999")
    assert "malformed JSON" in _refused(response, "body")


@pytest.mark.usefixtures("unchanged")
def test_a_blank_date_is_refused_where_the_description_says_date(api_operator: httpx.Client) -> None:
    """Blank text is no date: JSON says "none" with null (the fuzzer found "" accepted as one)."""
    body = {**ADJUST, "lines": [{"sku": "HONEY", "quantity": "1", "lot": "H2", "expiry_date": " "}]}
    assert "YYYY-MM-DD" in _refused(api_operator.post("/api/v1/adjustments", json=body), "lines[0].expiry_date")
    order = {"lines": [{"sku": "TEA-1", "quantity": "1"}], "requested_ship_date": ""}
    _refused(api_operator.post("/api/v1/orders", json=order), "requested_ship_date")


def test_a_blank_lock_date_still_removes_the_lock_date(api_admin: httpx.Client) -> None:
    assert api_admin.put("/api/v1/accounting/settings", json={"lock_date": "2026-01-31"}).status_code == 200
    cleared = api_admin.put("/api/v1/accounting/settings", json={"lock_date": ""})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["lock_date"] is None
