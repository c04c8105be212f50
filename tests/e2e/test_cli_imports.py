"""`onhand import items|locations|stock`: a progress bar, a bad-row report, a policy."""

from __future__ import annotations

import pytest

from onhand import services

ITEMS_WITH_TWO_BAD_ROWS = """sku,name,unit,tracking
TEA-1,Green tea,each,none
BAD SKU,Broken,each,none
RICE,Rice,kg,none
HONEY,Honey,jar,lot
"""


@pytest.fixture
def write(tmp_path):
    def make(name: str, content: str):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        return str(path)

    return make


def test_importing_good_items_shows_progress_and_a_summary(cli_run, write):
    path = write("items.csv", "sku,name,unit\nTEA-1,Green tea,each\nRICE,Rice,kg\nSALT,Salt,kg\n")

    result = cli_run("import", "items", path)

    assert result.exit_code == 0, result.stderr
    assert "Importing items.csv" in result.stderr
    assert "3/3" in result.stderr
    assert "Imported 3 of 3 rows." in result.stdout
    assert [row[0] for row in cli_run("items", "list").rows()] == ["RICE", "SALT", "TEA-1"]


def test_all_or_nothing_reports_every_bad_row_and_writes_nothing(cli_run, write, onhand):
    result = cli_run("import", "items", write("items.csv", ITEMS_WITH_TWO_BAD_ROWS))

    assert result.exit_code == 3
    assert result.row("3")[1] == "sku"
    assert result.row("5") == ["5", "unit", "unknown unit of measure 'jar'"]
    assert "Imported 0 of 4 rows; 2 rejected (all-or-nothing: nothing was written)." in result.stdout
    assert services.items.list_items(onhand) == []


def test_good_rows_writes_the_good_ones_and_still_exits_non_zero(cli_run, write, onhand):
    result = cli_run(
        "import", "items", write("items.csv", ITEMS_WITH_TWO_BAD_ROWS), "--policy", "good-rows"
    )

    assert result.exit_code == 3
    assert [row[0] for row in result.rows()] == ["3", "5"]
    assert "Imported 2 of 4 rows; 2 rejected." in result.stdout
    assert [item.sku for item in services.items.list_items(onhand)] == ["RICE", "TEA-1"]


def test_locations_then_opening_stock_import_into_one_posting(cli_run, write):
    locations = write(
        "locations.csv",
        "code,name,kind,parent,sellable,city,country\n"
        "NY,New York,warehouse,,,New York,US\n"
        "NY-A-01,Aisle A,bin,NY,,,\n"
        "QUARANTINE,Quarantine,bin,NY,false,,\n",
    )
    cli_run("import", "items", write("items.csv", "sku,name,tracking\nTEA-1,Tea,none\nHONEY,Honey,lot\n"))
    stock = write(
        "stock.csv",
        "location,sku,quantity,lot,expiry_date\nNY-A-01,TEA-1,10,,\nNY,HONEY,6,H1,2027-01-31\n",
    )

    placed = cli_run("import", "locations", locations)
    opened = cli_run("import", "stock", stock)

    assert placed.exit_code == 0, placed.stdout
    assert cli_run("locations", "show", "QUARANTINE").row("Sellable") == ["Sellable", "no"]
    assert opened.exit_code == 0, opened.stdout
    assert "Imported 2 of 2 rows; posting #1." in opened.stdout
    assert cli_run("stock", "--location", "NY").rows() == [
        ["HONEY", "6", "0", "6"],
        ["TEA-1", "10", "0", "10"],
    ]


def test_opening_stock_with_a_bad_row_writes_no_posting(cli_run, write, onhand):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "TEA-1", "--name", "Tea")
    stock = write("stock.csv", "location,sku,quantity\nNY,TEA-1,10\nNY,TEA-1,-3\nMARS,TEA-1,1\n")

    result = cli_run("import", "stock", stock)

    assert result.exit_code == 3
    assert result.row("3") == ["3", "quantity", "opening stock must be greater than zero"]
    assert result.row("4") == ["4", "location", "unknown location 'MARS'"]
    assert services.integrity.verify(onhand).moves_checked == 0


def test_a_file_with_an_unknown_column_is_one_error_line(cli_run, write):
    result = cli_run("import", "items", write("items.csv", "sku,name,colour\nTEA-1,Tea,green\n"))

    assert result.exit_code == 3
    assert result.stderr.startswith("error: column 'colour': is not a column of an items file")
    assert result.stderr.count("\n") == 1


def test_a_missing_file_is_a_usage_error(cli_run, tmp_path):
    result = cli_run("import", "items", str(tmp_path / "nope.csv"))

    assert result.exit_code == 2
    assert result.stderr.startswith("error: Invalid value for 'file': file ")
    assert result.stderr.count("\n") == 1


def test_an_import_retried_with_its_idempotency_key_replays_the_first_report(cli_run, write, onhand):
    path = write("items.csv", "sku,name\nTEA-1,Tea\n")

    first = cli_run("import", "items", path, "--idempotency-key", "items-1")
    again = cli_run("import", "items", path, "--idempotency-key", "items-1")

    assert first.exit_code == again.exit_code == 0
    assert "Imported 1 of 1 rows." in again.stdout
    assert len(services.items.list_items(onhand)) == 1


def test_a_dry_run_upsert_shows_old_and_new_values_and_writes_nothing(cli_run, write, onhand):
    cli_run("items", "add", "TEA-1", "--name", "Tea")
    path = write("items.csv", "sku;name\nTEA-1;Sencha\nRICE;Rice\n")

    result = cli_run("import", "items", path, "--mode", "upsert", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert result.row("2") == ["2", "TEA-1", "updated", "name: Tea → Sencha"]
    assert result.row("3")[:3] == ["3", "RICE", "created"]
    assert "Would import 2 of 2 rows (1 updated, 0 unchanged)." in result.stdout
    assert [item.name for item in services.items.list_items(onhand)] == ["Tea"]
    assert cli_run("import", "items", path, "--mode", "upsert").exit_code == 0
    assert [item.name for item in services.items.list_items(onhand)] == ["Rice", "Sencha"]
