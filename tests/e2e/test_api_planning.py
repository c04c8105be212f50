"""Planning over HTTP: a rule, today's suggestions explained, drafts made in one call,
projected stock, alerts; bad input names its field and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateLocation
from tests.integration.helpers import adjust
from tests.integration.planning.helpers import sell
from tests.integration.purchasing_helpers import supplier

pytestmark = pytest.mark.usefixtures("api_stocked")


@pytest.fixture(autouse=True)
def acme(onhand):
    services.locations.create_location(onhand, CreateLocation(code="OCEAN-1", name="Container", kind="transit"))
    supplier(onhand, "ACME", lead_time_days=7)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_a_buyer_sets_a_rule_reads_explained_suggestions_and_makes_drafts(api_operator: httpx.Client) -> None:
    rule = _ok(api_operator.put("/api/v1/reorder-rules", json={
        "sku": "TEA-1", "site": "LA", "minimum": "4", "maximum": 6, "supplier": "ACME"}))
    assert (rule["minimum"], rule["maximum"], rule["supplier"]) == ("4", "6", "ACME")
    _ok(api_operator.put("/api/v1/reorder-rules", json={"sku": "TEA-1", "site": "NY", "minimum": "8"}))

    made = _ok(api_operator.get("/api/v1/suggestions"))
    assert made["transfers"] == [{
        "sku": "TEA-1", "source": "NY", "destination": "LA", "quantity": "2",
        "reason": "below minimum 4 by 4 on 2026-03-02; up to maximum 6; NY has 2 above its own minimum 8",
    }]
    assert [(g["supplier"], [(ln["sku"], ln["quantity"]) for ln in g["lines"]]) for g in made["purchases"]] == [
        ("ACME", [("TEA-1", "4")])]

    documents = _ok(api_operator.post("/api/v1/suggestions/documents", json={}, headers={"Idempotency-Key": "k1"}))
    assert len(documents["transfers"]) == 1 and documents["skipped"] == [
        "purchase from ACME to LA: lines[0].unit_cost: supplier ACME has no price for TEA-1; give one"]
    projection = _ok(api_operator.get("/api/v1/projected-stock", params={"sku": "TEA-1", "site": "LA", "days": 3}))
    # the draft transfer has no expected date (no route lead time): it counts from today
    assert projection["position"] == "2" and [d["available"] for d in projection["days"]] == ["2", "2", "2"]


def test_alerts_are_scanned_and_listed(api_operator: httpx.Client, api_viewer: httpx.Client) -> None:
    _ok(api_operator.put("/api/v1/reorder-rules", json={"sku": "TEA-1", "site": "NY", "minimum": "20"}))

    scan = _ok(api_operator.post("/api/v1/alerts/scan", json={"expiry_days": 400}))

    assert sorted(a["kind"] for a in scan["raised"]) == ["expiring_lot", "low_stock"]
    listed = _ok(api_viewer.get("/api/v1/alerts", params={"kind": "low_stock"}))
    assert [(a["sku"], a["site"], a["quantity"]) for a in listed["alerts"]] == [("TEA-1", "NY", "10")]
    assert api_viewer.post("/api/v1/alerts/scan", json={}).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"sku": "TEA-1", "site": "NY-A1", "minimum": "1"}, "site"),
    ({"sku": "TEA-1", "site": "NY", "minimum": "1.5"}, "minimum"),
    ({"sku": "TEA-1", "site": "NY", "minimum": "9", "maximum": "5"}, "maximum"),
    ({"sku": "TEA-1", "site": "NY", "service_level": "1.2"}, "service_level"),
    ({"sku": "TEA-1", "site": "NY", "demand_window_days": 0}, "demand_window_days"),
])
def test_a_bad_rule_names_its_field_and_changes_nothing(api_operator: httpx.Client, body, field) -> None:
    response = api_operator.put("/api/v1/reorder-rules", json=body)

    assert response.status_code == 422 and field in response.text
    assert _ok(api_operator.get("/api/v1/reorder-rules"))["rules"] == []


def test_suggested_documents_refuse_an_overlong_sku_and_an_unknown_one(api_operator: httpx.Client) -> None:
    too_long = api_operator.post("/api/v1/suggestions/documents", json={"skus": ["X" * 201]})
    unknown = api_operator.post("/api/v1/suggestions/documents", json={"skus": ["NOPE"]})

    assert too_long.status_code == 422 and "skus" in too_long.text
    assert unknown.status_code == 404 and "skus" in unknown.text


def test_demand_by_exponential_smoothing_reports_its_error_beside_the_moving_averages(
    onhand, clock, api_viewer: httpx.Client
) -> None:
    today = clock.current.date()
    adjust(onhand, "NY", "TEA-1", 500)
    for n in range(15):  # 1, 2, … 15 units on the last 15 days
        sell(onhand, clock, "NY", "TEA-1", n + 1, today - timedelta(days=15 - n))

    smoothed = _ok(api_viewer.get("/api/v1/demand", params={
        "sku": "TEA-1", "window_days": 15, "demand_method": "exponential_smoothing"}))["demand"]
    default = _ok(api_viewer.get("/api/v1/demand", params={"sku": "TEA-1", "window_days": 15}))["demand"]
    unknown = api_viewer.get("/api/v1/demand", params={"demand_method": "naive"})

    # 5 days held back (11 … 15, average 13) after 10 days averaging 5.5: the moving average is 7.5 off.
    ((row,), (plain,)) = smoothed, default
    assert (row["demand_method"], row["held_back_days"], row["moving_average_mean_absolute_error"]) == (
        "exponential_smoothing", 5, "7.5")
    assert Decimal(row["mean_absolute_error"]) < Decimal(1)
    assert (plain["demand_method"], plain["forecast_daily"], plain["mean_absolute_error"]) == (
        "moving_average", "8", "7.5")
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "demand_method"
