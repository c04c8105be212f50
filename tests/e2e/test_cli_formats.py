"""How the CLI shows values: times in the company's zone, quantities by unit, money by currency."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def shop(cli_run):
    """NY (warehouse); MUG (each), RICE (kg, 3 decimals)."""
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("items", "add", "MUG", "--name", "Mug").exit_code == 0
    assert cli_run("items", "add", "RICE", "--name", "Rice", "--unit", "kg").exit_code == 0
    return cli_run


def test_quantities_follow_the_unit_s_decimals_and_dollars_have_cents(shop):
    assert shop("adjust", "NY", "MUG", "5", "--reason", "found", "--unit-cost", "2.5",
                "--line", "RICE:1.25").exit_code == 0

    stock = shop("stock")
    values = shop("valuation", "posting", "1")

    assert stock.row("MUG")[1:4] == ["5", "0", "5"]
    assert stock.row("RICE")[1:4] == ["1.250", "0.000", "1.250"]
    assert values.row("1")[7] == "12.50"  # 5 × 2.5 USD


def test_history_shows_local_times_with_their_offset(shop):
    assert shop("company", "set", "--timezone", "America/New_York").exit_code == 0
    noon_utc = shop("adjust", "NY", "MUG", "5", "--reason", "found", "--effective-at", "2026-03-01T12:00:00Z")
    assert noon_utc.exit_code == 0

    shown = shop("history")
    as_json = json.loads(shop("history", "--json").stdout)

    assert shown.row("1")[1] == "2026-03-01 07:00:00 -05:00"
    assert as_json[0]["when"] == "2026-03-01T07:00:00-05:00"


def test_money_in_yen_has_no_decimals_and_totals_keep_units_apart(shop):
    assert shop("company", "set", "--currency", "JPY").exit_code == 0
    assert shop("adjust", "NY", "MUG", "2", "--reason", "found", "--unit-cost", "1500",
                "--line", "RICE:1.5@200").exit_code == 0

    report = shop("valuation", "report")

    assert report.exit_code == 0, report.stderr
    assert report.row("MUG")[3:] == ["2", "3000"]
    assert report.row("RICE")[3:] == ["1.500", "300"]
    assert report.row("Total")[3:] == ["2 each; 1.500 kg", "3300"]  # not 3.5 of anything
