"""The CLI's valuation commands: costing methods, the report and a posting's values."""

from __future__ import annotations


def test_costing_methods_are_shown_and_chosen(cli_run):
    assert "Costing method: fifo" in cli_run("valuation", "costing").stdout
    assert "Costing method: moving_average" in cli_run("valuation", "costing", "--method", "moving_average").stdout
    assert cli_run("items", "add", "HONEY", "--name", "Honey", "--tracking", "lot").exit_code == 0
    shown = cli_run("valuation", "item-costing", "HONEY", "--method", "specific_lot").stdout
    assert "specific_lot" in shown
    assert "moving_average" in cli_run("valuation", "item-costing", "HONEY", "--company").stdout
    refused = cli_run("valuation", "costing", "--method", "specific_lot")  # an item's only
    assert refused.exit_code != 0 and "costing_method" in refused.stderr


def test_the_report_and_a_posting_s_values_are_printed(cli_run):
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("items", "add", "MUG", "--name", "Mug").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "3", "--reason", "found").exit_code == 0
    report = cli_run("valuation", "report", "--group-by", "location")
    assert report.exit_code == 0 and "MUG" in report.stdout and "Total" in report.stdout
    values = cli_run("valuation", "posting", "1")
    assert values.exit_code == 0 and "adjustment_in" in values.stdout and "no_cost" in values.stdout


def test_a_backdated_receipt_and_the_report_at_a_past_moment_with_aging(cli_run):
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    assert cli_run("items", "add", "MUG", "--name", "Mug").exit_code == 0
    assert cli_run("suppliers", "add", "ACME", "--name", "Acme").exit_code == 0
    for cost in ("5.00", "6.00"):
        made = cli_run("purchase-orders", "create", "--supplier", "ACME", "--to", "NY", "--line", f"MUG:10:{cost}")
        assert made.exit_code == 0, made.stdout + made.stderr
    for reference in ("PO-000001", "PO-000002"):
        assert cli_run("purchase-orders", "place", reference).exit_code == 0
    assert cli_run("purchase-orders", "receive", "PO-000002", "--line", "1:10").exit_code == 0
    assert cli_run("adjust", "NY", "MUG", "-8", "--reason", "lost").exit_code == 0
    backdated = cli_run("purchase-orders", "receive", "PO-000001", "--line", "1:10",
                        "--effective-at", "2026-03-01T12:00:00Z")
    assert backdated.exit_code == 0, backdated.stdout + backdated.stderr
    loss = cli_run("valuation", "posting", "2")
    assert loss.exit_code == 0 and "40" in loss.stdout  # 8 @ 5.00 once the older receipt is in
    past = cli_run("valuation", "report", "--at", "2026-03-01T18:00:00Z", "--aging")
    assert past.exit_code == 0, past.stderr
    assert "Valuation at 2026-03-01 18:00:00 +00:00" in past.stdout and "Aging" in past.stdout
    assert "50" in past.stdout
    refused = cli_run("adjust", "NY", "MUG", "1", "--reason", "found", "--effective-at", "someday")
    assert refused.exit_code != 0 and "effective_at" in refused.stderr
