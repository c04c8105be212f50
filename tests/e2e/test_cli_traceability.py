"""The recall scenario through the CLI: the report as a tree, JSON and CSV; recall and release."""

from __future__ import annotations

import json

from onhand import services
from tests.integration.traceability.scenario import build_scenario


def test_the_recall_report_prints_a_tree_naming_the_three_customers(cli_run, onhand):
    build_scenario(onhand)

    shown = cli_run("recalls", "report", "--lot", "SERUM:B123")

    assert shown.exit_code == 0, shown.stderr
    for line in ("Alice Smith", "Bob Jones", "Carol White", "2 of SERUM/B123 (inside products: 2)",
                 "40 SERUM/B123 at STORE", "9 GIFTBOX/GB1 at WH"):
        assert line in shown.stdout, line


def test_the_recall_report_as_json_and_csv_says_the_same(cli_run, onhand):
    build_scenario(onhand)

    as_json = cli_run("recalls", "report", "--supplier-lot", "ACME-7781", "--format", "json")
    as_csv = cli_run("recalls", "report", "--lot", "SERUM:B123", "--format", "csv")

    assert as_json.exit_code == 0, as_json.stderr
    customers = {(c["customer"], c["total"]) for c in json.loads(as_json.stdout)["customers"]}
    assert customers == {("Alice Smith", "10"), ("Bob Jones", "5"), ("Carol White", "2")}
    assert as_csv.stdout.splitlines()[0].startswith("section,recalled_sku,recalled_lot")
    assert sum(1 for row in as_csv.stdout.splitlines() if row.startswith("customer,")) == 3


def test_a_backward_trace_and_a_lot_found_without_its_item(cli_run, onhand):
    made = build_scenario(onhand)

    back = cli_run("trace", "backward", "--order", made["carol"].reference)
    found = cli_run("lots", "list", "--lot", "B123")
    history = cli_run("history", "--lot", "GB1")

    assert back.exit_code == 0, back.stderr
    assert made["po"].reference in back.stdout and "ACME-7781" in back.stdout
    assert found.row("SERUM")[:2] == ["SERUM", "B123"]
    assert history.exit_code == 0, history.stderr
    assert "GIFTBOX" in history.stdout


def test_a_recall_from_the_cli_stops_the_batch_and_is_released(cli_run, onhand):
    build_scenario(onhand)

    started = cli_run("recalls", "start", "--lot", "SERUM:B123", "--quarantine", "QUAR", "--reference", "RC-1")
    released = cli_run("recalls", "release", "RC-1")
    again = cli_run("recalls", "release", "RC-1")

    assert started.exit_code == 0, started.stderr
    assert "GB1" in started.stdout and "Orders left short" in started.stdout
    assert released.exit_code == 0, released.stderr
    assert again.exit_code != 0
    assert services.lots.get_lot(onhand, sku="GIFTBOX", code="GB1").status == "released"


def test_customers_from_the_cli(cli_run):
    added = cli_run("customers", "add", "Alice Smith", "--email", "alice@example.com", "--city", "Boston",
                    "--channel-id", "shopify:77")
    listed = cli_run("customers", "list", "--name", "alice")
    refused = cli_run("customers", "add", "Bob", "--email", "not-an-email")

    assert added.exit_code == 0, added.stderr
    assert listed.row("C-000001")[1:3] == ["Alice Smith", "alice@example.com"]
    assert refused.exit_code == 3 and "email" in refused.stderr
