"""Supplier shipments (ASNs) from the command line: ship, receive in parts, write off."""

from __future__ import annotations

from onhand.domain.errors import Conflict, InvalidInput
from onhand.entrypoints.cli.errors import exit_code_of


def setup(cli_run) -> None:
    for args in (
        ("locations", "add", "NY", "--name", "New York", "--kind", "warehouse"),
        ("locations", "add", "OCEAN-1", "--name", "On the ocean", "--kind", "transit"),
        ("items", "add", "MUG", "--name", "Mug"),
        ("suppliers", "add", "ACME", "--name", "Acme"),
        ("purchase-orders", "create", "--supplier", "ACME", "--to", "NY", "--line", "MUG:50:4"),
        ("purchase-orders", "place", "PO-000001"),
    ):
        outcome = cli_run(*args)
        assert outcome.exit_code == 0, (args, outcome.stdout, outcome.stderr)


def test_fifty_units_on_the_ocean_arrive_in_two_parts(cli_run) -> None:
    setup(cli_run)
    shipped = cli_run("purchase-orders", "ship", "PO-000001", "--line", "1:50", "--container", "MSCU-4471",
                      "--vessel", "Maersk Essen", "--eta", "2026-03-23", "--cost", "freight:100")
    assert shipped.exit_code == 0, shipped.stderr
    assert "ASN-000001" in shipped.stdout and "(in_transit)" in shipped.stdout
    assert shipped.row("1", "MUG")[-1] == "50"
    stock = cli_run("stock", "--sku", "MUG", "--group-by", "location")
    assert stock.row("MUG", "OCEAN-1")[2:5] == ["50", "0", "0"]

    part = cli_run("purchase-orders", "receive-shipment", "ASN-000001", "--line", "1:30")
    assert part.exit_code == 0, part.stderr
    assert "(partially_received)" in part.stdout and part.row("1", "MUG")[-1] == "20"
    assert cli_run("purchase-orders", "show", "PO-000001").row("Status")[1] == "partially_received"
    assert cli_run("supplier-shipments", "update", "ASN-000001", "--eta", "2026-03-30").exit_code == 0
    rest = cli_run("supplier-shipments", "receive", "ASN-000001")
    assert "(received)" in rest.stdout
    assert "ETA 2026-03-30" in cli_run("purchase-orders", "shipments", "PO-000001").stdout
    assert cli_run("purchase-orders", "show", "PO-000001").row("Status")[1] == "received"
    assert cli_run("verify").exit_code == 0


def test_shipment_errors_exit_with_the_code_of_their_kind(cli_run) -> None:
    setup(cli_run)
    wrong = cli_run("purchase-orders", "ship", "PO-000001", "--line", "1:5", "--transit", "NY")
    assert wrong.exit_code == exit_code_of(InvalidInput) and "transit" in wrong.stderr
    cli_run("purchase-orders", "ship", "PO-000001", "--line", "1:5")
    too_many = cli_run("supplier-shipments", "receive", "ASN-000001", "--line", "1:6")
    assert too_many.exit_code == exit_code_of(Conflict) and "lines[0].quantity" in too_many.stderr
    lost = cli_run("supplier-shipments", "write-off", "ASN-000001")
    assert lost.exit_code == 0 and "(closed)" in lost.stdout
