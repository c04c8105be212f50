"""The CLI's valuation commands: costing methods, the report and a posting's values."""

from __future__ import annotations


def test_costing_methods_are_shown_and_chosen(cli_run):
    assert "Costing method: fifo" in cli_run("valuation", "costing").stdout
    assert "Costing method: moving_average" in cli_run("valuation", "costing", "--method", "moving_average").stdout
    assert cli_run("items", "add", "HONEY", "--name", "Honey", "--tracking", "lot").exit_code == 0
    shown = cli_run("valuation", "item-costing", "HONEY", "--method", "specific_lot").stdout
    assert "specific_lot" in shown
    assert "moving_average" in cli_run("valuation", "item-costing", "HONEY", "--company").stdout
    refused = cli_run("valuation", "costing", "--method", "lifo")
    assert refused.exit_code != 0 and "costing_method" in refused.stderr


def test_the_report_and_a_posting_s_values_are_printed(cli_run):
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("items", "add", "MUG", "--name", "Mug").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "3", "--reason", "found").exit_code == 0
    report = cli_run("valuation", "report", "--group-by", "location")
    assert report.exit_code == 0 and "MUG" in report.stdout and "Total" in report.stdout
    values = cli_run("valuation", "posting", "1")
    assert values.exit_code == 0 and "adjustment_in" in values.stdout and "no_cost" in values.stdout
