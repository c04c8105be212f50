"""Bundles, bills of materials, builds, disassembly and genealogy through the CLI."""

from __future__ import annotations


def test_a_bundle_is_set_and_its_availability_shown(cli_run):
    assert cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse").exit_code == 0
    for sku in ("MUG", "TEA"):
        assert cli_run("items", "add", sku, "--name", sku).exit_code == 0
    assert cli_run("items", "add", "STARTER", "--name", "Starter", "--kind", "bundle").exit_code == 0
    assert cli_run("adjust", "NY", "--reason", "found", "--line", "MUG:10", "--line", "TEA:5").exit_code == 0

    defined = cli_run("bundles", "set", "STARTER", "--component", "MUG:2", "--component", "TEA:1")
    shown = cli_run("bundles", "availability", "STARTER")

    assert defined.exit_code == 0, defined.stderr
    assert defined.row("MUG")[3] == "2"
    assert shown.exit_code == 0, shown.stderr
    assert "STARTER: available 5" in shown.stdout
    assert shown.row("NY") == ["NY", "5"]


def test_a_bad_component_exits_3_naming_the_field(cli_run):
    cli_run("items", "add", "STARTER", "--name", "Starter", "--kind", "bundle")

    refused = cli_run("bundles", "set", "STARTER", "--component", "STARTER:1")

    assert refused.exit_code == 3
    assert "components[0].sku" in refused.stderr


def test_a_build_order_is_built_and_traced_and_taken_apart(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "BERRY", "--name", "Berry", "--tracking", "lot")
    cli_run("items", "add", "JAM", "--name", "Jam", "--tracking", "lot", "--kind", "assembly")
    assert cli_run("adjust", "NY", "--reason", "found", "--line", "BERRY:20:B1").exit_code == 0
    assert cli_run("boms", "set", "JAM", "--component", "BERRY:2").exit_code == 0
    assert "JAM: can build 10" in cli_run("boms", "can-build", "JAM").stdout

    created = cli_run("builds", "create", "--sku", "JAM", "--location", "NY", "--quantity", "6")
    built = cli_run("builds", "run", "BO-000001", "--quantity", "4", "--output-lot", "J1")
    traced = cli_run("genealogy", "BERRY", "B1")
    apart = cli_run("disassemble", "--sku", "JAM", "--location", "NY", "--quantity", "1", "--lot", "J1")
    listed = cli_run("builds", "list")

    assert created.exit_code == 0, created.stderr
    assert built.exit_code == 0, built.stderr
    assert "partially_built" in built.stdout
    assert traced.row("1")[3:8] == ["JAM", "J1", "BERRY", "B1", "8"]
    assert apart.exit_code == 0, apart.stderr
    assert apart.row("BERRY") == ["BERRY", "B1", "2"]
    assert listed.row("BO-000001")[3:] == ["partially_built", "6", "4"]


def test_a_build_and_a_disassembly_take_effective_at(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "BERRY", "--name", "Berry")
    cli_run("items", "add", "JAM", "--name", "Jam", "--kind", "assembly")
    assert cli_run("adjust", "NY", "--reason", "found", "--line", "BERRY:10@6.00").exit_code == 0  # posting 1
    assert cli_run("adjust", "NY", "--reason", "found", "--line", "BERRY:10@5.00",
                   "--effective-at", "2026-03-01T10:00:00Z").exit_code == 0
    assert cli_run("boms", "set", "JAM", "--component", "BERRY:1").exit_code == 0
    cli_run("builds", "create", "--sku", "JAM", "--location", "NY", "--quantity", "4")

    refused = cli_run("builds", "run", "BO-000001", "--effective-at", "someday")
    built = cli_run("builds", "run", "BO-000001", "--effective-at", "2026-03-01T12:00:00Z")  # posting 3
    apart = cli_run("disassemble", "--sku", "JAM", "--location", "NY", "--quantity", "1",
                    "--effective-at", "2026-03-01T13:00:00Z")  # posting 4

    assert refused.exit_code != 0 and "effective_at" in refused.stderr
    assert built.exit_code == 0, built.stderr
    assert apart.exit_code == 0, apart.stderr
    # Columns: move, SKU, lot, from, to, quantity, role, value, basis.
    assert cli_run("valuation", "posting", "3").row("3", "BERRY")[7] == "20.00"  # 4 @ 5.00, the layer there then
    assert cli_run("valuation", "posting", "4").row("6", "BERRY")[7] == "5.00"
