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


def test_lifo_is_chosen_from_the_cli_for_one_item(cli_run):
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("items", "add", "MUG", "--name", "Mug").exit_code == 0
    chosen = cli_run("valuation", "item-costing", "MUG", "--method", "lifo")
    assert chosen.exit_code == 0 and "lifo" in chosen.stdout, chosen.stderr
    assert cli_run("adjust", "NY", "MUG", "10", "--reason", "found", "--unit-cost", "5").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "10", "--reason", "found", "--unit-cost", "6").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "-15", "--reason", "lost").exit_code == 0
    report = cli_run("valuation", "report").stdout
    assert "25" in report and "30" not in report  # 5 @ 5.00 left, not FIFO's 5 @ 6.00
