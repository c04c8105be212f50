"""From the command line: found stock at a unit cost, opening valuation from a file, returns to supplier."""

from __future__ import annotations

from sqlalchemy import delete

from onhand.adapters.db.engine import make_engine
from onhand.adapters.db.tables.valuation import cost_layers, cost_pools, move_values
from onhand.domain.errors import InvalidInput
from onhand.entrypoints.cli.errors import exit_code_of


def _setup(cli_run) -> None:
    for args in (
        ("locations", "add", "NY", "--name", "New York", "--kind", "warehouse"),
        ("items", "add", "MUG", "--name", "Mug"),
        ("suppliers", "add", "ACME", "--name", "Acme"),
    ):
        outcome = cli_run(*args)
        assert outcome.exit_code == 0, (args, outcome.stdout, outcome.stderr)


def test_found_stock_takes_a_unit_cost_and_a_loss_refuses_one(cli_run) -> None:
    _setup(cli_run)
    found = cli_run("adjust", "NY", "MUG", "4", "--reason", "found", "--unit-cost", "2.5", "--line", "MUG:1@3")
    assert found.exit_code == 0, found.stderr
    values = cli_run("valuation", "posting", "1")
    assert values.row("1", "MUG")[7:9] == ["10.00", "unit_cost"] and values.row("2", "MUG")[7] == "3.00"
    lost = cli_run("adjust", "NY", "MUG", "-1", "--reason", "lost", "--unit-cost", "2")
    assert lost.exit_code == exit_code_of(InvalidInput) and "lines[0].unit_cost" in lost.stderr


def test_stock_that_predates_valuation_is_valued_from_a_file(cli_run, database_url, tmp_path) -> None:
    _setup(cli_run)
    assert cli_run("adjust", "NY", "MUG", "5", "--reason", "found").exit_code == 0
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for table in (cost_layers, cost_pools, move_values):
            conn.execute(delete(table))
    engine.dispose()
    listed = cli_run("valuation", "unvalued")
    assert listed.row("MUG", "NY")[3:6] == ["5", "0", "5"]
    assert "without cost layers" in cli_run("valuation", "report").stdout
    costs = tmp_path / "costs.csv"
    costs.write_text("sku,unit_cost,location\nMUG,1.5,NY\n", encoding="utf-8")
    opened = cli_run("valuation", "open", "--file", str(costs), "--reference", "go-live")
    assert opened.exit_code == 0, opened.stderr
    assert opened.row("MUG", "NY")[3:6] == ["5", "1.50", "7.50"]
    assert "Every unit on hand has its cost layers" in cli_run("valuation", "unvalued").stdout
    refused = cli_run("valuation", "open", "--file", str(costs))
    assert refused.exit_code != 0 and "already has cost layers" in refused.stderr


def test_received_units_are_returned_to_the_supplier(cli_run) -> None:
    _setup(cli_run)
    assert cli_run("purchase-orders", "create", "--supplier", "ACME", "--to", "NY", "--line", "MUG:6:3").exit_code == 0
    assert cli_run("purchase-orders", "place", "PO-000001").exit_code == 0
    assert cli_run("purchase-orders", "receive", "PO-000001", "--line", "1:6").exit_code == 0
    sent = cli_run("po", "return", "PO-000001", "--line", "1:2", "--authorisation", "RMA-9")
    assert sent.exit_code == 0, sent.stderr
    assert "RTS-000001" in sent.stdout and "value 6" in sent.stdout and "RMA-9" in sent.stdout
    assert sent.row("1", "MUG", "NY")[4] == "2"
    assert cli_run("purchase-orders", "show", "PO-000001").row("1", "MUG")[5] == "2"
    over = cli_run("purchase-orders", "return", "PO-000001", "--line", "1:5")
    assert over.exit_code == exit_code_of(InvalidInput) and "lines[0].quantity" in over.stderr
    assert "RTS-000001" in cli_run("purchase-orders", "returns", "PO-000001").stdout
