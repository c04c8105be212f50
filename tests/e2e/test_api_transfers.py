"""Transfer orders over HTTP: create, ship, receive, write off; stock shows what is on
its way; refusals name the field and change nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateLocation

pytestmark = pytest.mark.usefixtures("api_stocked")


@pytest.fixture(autouse=True)
def ocean(onhand):
    services.locations.create_location(onhand, CreateLocation(code="OCEAN-1", name="Container", kind="transit"))


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _create(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = {"source": "NY", "destination": "LA", "lines": [{"sku": "TEA-1", "quantity": "8"}], **extra}
    return _ok(client.post("/api/v1/transfers", json=body), 201)


def test_a_transfer_travels_through_transit_and_stock_shows_it_on_its_way(api_operator: httpx.Client) -> None:
    made = _create(api_operator, expected_date="2026-04-01", carrier="Maersk", tracking_number="MSCU-1")
    assert {k: made[k] for k in ("reference", "status", "transit", "expected_date", "carrier")} == {
        "reference": "TO-000001", "status": "draft", "transit": "OCEAN-1", "expected_date": "2026-04-01",
        "carrier": "Maersk",
    }
    shipped = _ok(api_operator.post("/api/v1/transfers/TO-000001/ship", json={}))
    assert (shipped["status"], shipped["lines"][0]["in_transit"]) == ("in_transit", "8")

    stock = _ok(api_operator.get("/api/v1/stock", params={"sku": "TEA-1", "group_by": "location"}))
    rows = {lv["location"]: (lv["on_hand"], lv["available"], lv["in_transit"], lv["in_transit_expected"])
            for lv in stock["levels"]}
    assert rows == {"NY": ("2", "2", "0", None), "LA": ("0", "0", "8", "2026-04-01"),
                    "OCEAN-1": ("8", "0", "0", None)}

    part = _ok(api_operator.post("/api/v1/transfers/TO-000001/receive",
                                 json={"lines": [{"line_no": 1, "quantity": "5"}]}))
    assert part["status"] == "partially_received"
    lost = _ok(api_operator.post("/api/v1/transfers/TO-000001/write-off", json={"note": "crushed"}))
    assert (lost["status"], lost["lines"][0]["written_off"]) == ("closed", "3")
    assert [e["kind"] for e in lost["events"]] == ["shipment", "receipt", "write_off"]


def test_receiving_more_than_shipped_is_409_naming_the_field_and_changes_nothing(
    api_operator: httpx.Client, api_ledger_state
) -> None:
    _create(api_operator)
    _ok(api_operator.post("/api/v1/transfers/TO-000001/ship", json={"lines": [{"line_no": 1, "quantity": 2}]}))
    before = api_ledger_state()

    refused = api_operator.post("/api/v1/transfers/TO-000001/receive",
                                json={"lines": [{"line_no": 1, "quantity": "3"}]})

    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith("lines[0].quantity: 3 is more than the 2")
    assert api_ledger_state() == before


def test_a_bad_transfer_is_422_with_its_field(api_operator: httpx.Client) -> None:
    refused = api_operator.post("/api/v1/transfers", json={"source": "NY", "destination": "NY-A1",
                                                           "lines": [{"sku": "TEA-1", "quantity": 1}]})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "destination"
    assert _ok(api_operator.get("/api/v1/transfers"))["transfers"] == []


def test_a_draft_changes_and_cancels_and_a_viewer_may_only_read(
    api_operator: httpx.Client, api_viewer: httpx.Client
) -> None:
    _create(api_operator)
    changed = _ok(api_operator.patch("/api/v1/transfers/TO-000001",
                                     json={"lines": [{"sku": "HONEY", "quantity": 2, "lot": "H1"}]}))
    assert [(ln["sku"], ln["lot"], ln["quantity"]) for ln in changed["lines"]] == [("HONEY", "H1", "2")]
    assert api_viewer.post("/api/v1/transfers/TO-000001/cancel").status_code == 403
    assert _ok(api_viewer.get("/api/v1/transfers/TO-000001"))["status"] == "draft"
    assert _ok(api_operator.post("/api/v1/transfers/TO-000001/cancel"))["status"] == "cancelled"


def test_routes_set_the_transit_and_the_expected_date(api_admin: httpx.Client, onhand) -> None:
    services.locations.create_location(onhand, CreateLocation(code="TRUCK-1", name="Truck", kind="transit"))
    route = _ok(api_admin.put("/api/v1/transfer-routes",
                              json={"source": "NY", "destination": "LA", "transit": "TRUCK-1", "lead_time_days": 4}))
    assert route == {"source": "NY", "destination": "LA", "transit": "TRUCK-1", "lead_time_days": 4}
    made = _create(api_admin)
    assert (made["transit"], made["expected_date"]) == ("TRUCK-1", "2026-03-06")
    assert _ok(api_admin.get("/api/v1/transfer-routes"))["routes"] == [route]


def test_a_repeated_idempotency_key_ships_once(api_operator: httpx.Client) -> None:
    _create(api_operator)
    headers = {"Idempotency-Key": "ship-1"}
    first = _ok(api_operator.post("/api/v1/transfers/TO-000001/ship", json={}, headers=headers))
    again = _ok(api_operator.post("/api/v1/transfers/TO-000001/ship", json={}, headers=headers))
    assert first == again and len(again["events"]) == 1
