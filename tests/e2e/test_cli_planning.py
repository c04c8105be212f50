"""`onhand planning`: a rule, explained suggestions, drafts in one command, projected
stock and alerts from the command line; a bad rule names its field and changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.ledger.commands import PostAdjustment
from tests.integration.planning.helpers import price, sell
from tests.integration.purchasing_helpers import supplier


@pytest.fixture
def stocked(onhand, cli_run):
    """NY (bin NY-A1) with 3 MUG, supplier ACME selling MUG at 2 in packs of 12."""
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.locations.create_location(onhand, CreateLocation(code="NY-A1", name="A1", kind="bin", parent="NY"))
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY-A1", reason="found", lines=[services.postings.StockLine("MUG", "3")]))
    supplier(onhand, "ACME", lead_time_days=5)
    price(onhand, "ACME", "MUG", "2", pack_size="12")
    return cli_run


def test_a_buyer_plans_from_the_command_line(stocked):
    made = stocked("planning", "set-rule", "MUG", "NY", "--min", "10", "--max", "30")
    assert made.exit_code == 0, made.stderr
    assert made.row("MUG")[:4] == ["MUG", "NY", "10", "30"]

    suggested = stocked("planning", "suggestions")
    assert suggested.exit_code == 0, suggested.stderr
    assert "Buy from ACME: 72.00 USD" in suggested.stdout  # 27 → 36 in packs of 12, at 2
    arrival = (datetime.now(UTC).date() + timedelta(days=5)).isoformat()  # the CLI runs on the real clock
    assert suggested.row("MUG")[:6] == ["MUG", "NY", "36", "2.00", "72.00", arrival]

    documents = stocked("planning", "create-documents", "--idempotency-key", "mon")
    assert documents.exit_code == 0, documents.stderr
    assert "Draft purchase order PO-" in documents.stdout
    assert "Nothing to buy or move" in stocked("planning", "suggestions").stdout

    projected = stocked("planning", "projection", "MUG", "NY", "--days", "6")
    assert projected.exit_code == 0, projected.stderr
    assert projected.row(arrival)[1:] == ["36", "0", "39", "39"]

    scan = stocked("planning", "scan-alerts")
    assert scan.exit_code == 0, scan.stderr
    assert stocked("planning", "alerts", "--kind", "low_stock").row("low_stock")[1:3] == ["MUG", "NY"]


def test_a_bad_rule_names_its_field_and_changes_nothing(stocked):
    refused = stocked("planning", "set-rule", "MUG", "NY-A1", "--min", "10")

    assert refused.exit_code != 0 and "site" in refused.stderr
    assert [cells for cells in stocked("planning", "rules").rows() if cells[:1] == ["MUG"]] == []


def test_demand_by_exponential_smoothing_with_its_held_back_error_as_json(stocked, onhand, clock):
    today = datetime.now(UTC).date()  # the CLI runs on the real clock
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY", reason="found", lines=[services.postings.StockLine("MUG", "500")]))
    for n in range(15):  # 1, 2, … 15 units on the last 15 days
        sell(onhand, clock, "NY", "MUG", n + 1, today - timedelta(days=15 - n))

    smoothed = stocked("planning", "demand", "--sku", "MUG", "--window", "15", "--method", "exponential_smoothing",
                       "--json")
    plain = stocked("planning", "demand", "--sku", "MUG", "--window", "15")
    unknown = stocked("planning", "demand", "--method", "naive")

    assert smoothed.exit_code == 0, smoothed.stderr
    (row,) = json.loads(smoothed.stdout)
    assert (row["method"], row["held_back"], row["moving_average_mae"]) == ("exponential_smoothing", "5", "7.5")
    assert Decimal(row["mae"]) < 1 and Decimal(row["forecast_per_day"]) > 15
    assert plain.row("MUG")[7:] == ["moving_average", "8", "5", "7.5", "7.5"]
    assert unknown.exit_code != 0 and "demand_method" in unknown.stderr
