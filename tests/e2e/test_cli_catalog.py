"""The CLI's catalog commands: init, company, units, items, locations, lots."""

from __future__ import annotations

from tests.e2e.conftest import cli_on


def test_init_creates_the_database_and_names_the_company(cli_runner, empty_database_url):
    cli_run = cli_on(cli_runner, empty_database_url)
    result = cli_run("init", "--name", "Acme Goods", "--time-zone", "America/New_York")

    assert result.exit_code == 0, result.stderr
    assert "Database ready" in result.stdout
    assert result.row("Name") == ["Name", "Acme Goods"]
    assert cli_run("company", "show").row("Time zone") == ["Time zone", "America/New_York"]


def test_init_needs_the_time_zone_when_not_asked_on_a_terminal(cli_runner, empty_database_url):
    result = cli_on(cli_runner, empty_database_url)("init", "--name", "Acme Goods")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: Invalid value for '--time-zone': required when not run on a terminal")


def test_init_refuses_a_database_holding_a_company_unless_forced(cli_run):
    cli_run("company", "set", "--name", "Acme Goods")

    refused = cli_run("init", "--name", "Other Co", "--time-zone", "Europe/Berlin")
    forced = cli_run("init", "--name", "Other Co", "--time-zone", "Europe/Berlin", "--force")

    assert refused.exit_code == 5
    assert "holds a company already; `onhand company set` changes its settings" in refused.stderr
    assert forced.exit_code == 0, forced.stderr
    assert forced.row("Name") == ["Name", "Other Co"]


def test_a_time_zone_change_after_postings_needs_confirm(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("adjust", "NY", "MUG", "5", "--reason", "found")

    refused = cli_run("company", "set", "--time-zone", "Asia/Tokyo")
    confirmed = cli_run("company", "set", "--time-zone", "Asia/Tokyo", "--confirm")

    assert refused.exit_code == 5
    assert refused.stderr.startswith("error: timezone: postings exist")
    assert confirmed.exit_code == 0, confirmed.stderr
    assert confirmed.row("Time zone") == ["Time zone", "Asia/Tokyo"]


def test_company_set_changes_only_what_is_given(cli_run):
    result = cli_run("company", "set", "--currency", "EUR")

    assert result.exit_code == 0, result.stderr
    assert result.row("Currency") == ["Currency", "EUR"]
    assert result.row("Name") == ["Name", "My Company"]


def test_an_unknown_currency_is_refused(cli_run):
    result = cli_run("company", "set", "--currency", "ABC")

    assert result.exit_code == 3
    assert result.stderr == "error: currency: 'ABC' is not an ISO 4217 currency code like USD\n"


def test_units_add_then_list_shows_the_new_unit(cli_run):
    added = cli_run("units", "add", "pack", "--name", "Pack of 6")
    listed = cli_run("units", "list")

    assert added.exit_code == 0, added.stderr
    assert listed.row("pack") == ["pack", "Pack of 6", "0"]
    assert listed.row("kg") == ["kg", "Kilogram", "3"]


def test_items_add_normalizes_the_gtin_and_shows_the_item(cli_run):
    result = cli_run(
        "items", "add", "HONEY-350G", "--name", "Wildflower honey", "--tracking", "lot",
        "--gtin", "4006381333931", "--shelf-life-days", "730",
    )

    assert result.exit_code == 0, result.stderr
    assert result.row("GTIN") == ["GTIN", "04006381333931"]
    assert result.row("Tracking") == ["Tracking", "lot"]
    assert result.row("Shelf life (days)") == ["Shelf life (days)", "730"]


def test_items_list_searches_by_sku_or_name(cli_run):
    cli_run("items", "add", "MUG-12OZ", "--name", "Ceramic mug")
    cli_run("items", "add", "RICE", "--name", "Basmati rice", "--unit", "kg")

    everything = cli_run("items", "list")
    rice = cli_run("items", "list", "--search", "basmati")

    assert [row[0] for row in everything.rows()] == ["MUG-12OZ", "RICE"]
    assert [row[0] for row in rice.rows()] == ["RICE"]
    assert rice.row("RICE")[2] == "kg"


def test_items_show_and_update_change_name_and_remove_the_gtin(cli_run):
    cli_run("items", "add", "MUG-12OZ", "--name", "Mug", "--gtin", "4006381333931")

    updated = cli_run("items", "update", "MUG-12OZ", "--name", "Ceramic mug, 12 oz", "--gtin", "")
    shown = cli_run("items", "show", "MUG-12OZ")

    assert updated.exit_code == 0, updated.stderr
    assert shown.row("Name") == ["Name", "Ceramic mug, 12 oz"]
    assert shown.row("GTIN") == ["GTIN", ""]


def test_locations_add_a_warehouse_with_address_and_a_bin_inside_it(cli_run):
    warehouse = cli_run(
        "locations", "add", "NY", "--name", "New York warehouse", "--kind", "warehouse",
        "--line1", "120 Hudson St", "--city", "New York", "--region", "NY",
        "--postcode", "10013", "--country", "us",
    )
    bin_ = cli_run("locations", "add", "NY-A-01", "--name", "Aisle A", "--kind", "bin", "--parent", "NY")

    assert warehouse.exit_code == 0, warehouse.stderr
    assert warehouse.row("Country") == ["Country", "US"]
    assert bin_.row("Parent") == ["Parent", "NY"]


def test_locations_list_shows_flags_parents_and_the_virtual_locations(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse", "--city", "New York")
    cli_run(
        "locations", "add", "QUARANTINE", "--name", "Quarantine", "--kind", "bin",
        "--parent", "NY", "--non-sellable",
    )
    cli_run("locations", "add", "POPUP", "--name", "Pop-up", "--kind", "store", "--allow-negative")

    result = cli_run("locations", "list")

    assert result.row("NY")[:7] == ["NY", "New York", "warehouse", "", "yes", "no", "New York"]
    assert result.row("QUARANTINE")[3:5] == ["NY", "no"]
    assert result.row("POPUP")[5] == "yes"
    assert result.row("ADJUSTMENT")[2] == "adjustment"


def test_locations_update_flips_flags_and_keeps_the_rest_of_the_address(cli_run):
    cli_run("locations", "add", "LA", "--name", "LA store", "--kind", "store",
            "--city", "Los Angeles", "--region", "CA")

    result = cli_run("locations", "update", "LA", "--non-sellable", "--allow-negative", "--postcode", "90014")
    shown = cli_run("locations", "show", "LA")

    assert result.exit_code == 0, result.stderr
    assert shown.row("Sellable") == ["Sellable", "no"]
    assert shown.row("Allow negative") == ["Allow negative", "yes"]
    assert shown.row("City") == ["City", "Los Angeles"]
    assert shown.row("Postcode") == ["Postcode", "90014"]


def test_lots_add_list_and_change_status(cli_run):
    cli_run("items", "add", "GRANOLA", "--name", "Granola", "--tracking", "lot", "--shelf-life-days", "180")

    added = cli_run("lots", "add", "GRANOLA", "GR-1", "--production", "2026-01-10")
    cli_run("lots", "add", "GRANOLA", "GR-2", "--expiry", "2026-12-31")
    quarantined = cli_run("lots", "status", "GRANOLA", "GR-2", "quarantined")
    listed = cli_run("lots", "list", "GRANOLA")

    assert added.exit_code == 0, added.stderr
    # Expiry follows from the production date and the item's shelf life.
    assert added.row("GR-1") == ["GR-1", "2026-07-09", "2026-01-10", "released"]
    assert quarantined.row("GR-2")[3] == "quarantined"
    assert [row[0] for row in listed.rows()] == ["GR-1", "GR-2"]
    assert listed.row("GR-2")[3] == "quarantined"
