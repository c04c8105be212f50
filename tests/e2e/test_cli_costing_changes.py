"""Changing a costing method with history from the CLI, and listing the changes."""

from __future__ import annotations


def test_a_change_with_stock_on_hand_keeps_its_value_and_is_listed(cli_run):
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("items", "add", "MUG", "--name", "Mug").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "10", "--reason", "found", "--unit-cost", "5").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "10", "--reason", "found", "--unit-cost", "6").exit_code == 0
    changed = cli_run("valuation", "costing", "--method", "moving_average")
    assert changed.exit_code == 0 and "moving_average" in changed.stdout, changed.stderr
    report = cli_run("valuation", "report")
    assert "110" in report.stdout
    listed = cli_run("valuation", "costing-changes")
    assert listed.exit_code == 0 and "(company)" in listed.stdout and "moving_average" in listed.stdout
    refused = cli_run("valuation", "item-costing", "MUG", "--method", "specific_lot")
    assert refused.exit_code != 0 and "costing_method" in refused.stderr
