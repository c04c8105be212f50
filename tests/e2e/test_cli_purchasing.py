"""Purchasing from the command line: suppliers, purchase orders, scanned receipts, landed costs."""

from __future__ import annotations

from onhand.domain.errors import Conflict, InvalidInput
from onhand.entrypoints.cli.errors import exit_code_of


def setup(cli_run) -> None:
    for args in (
        ("locations", "add", "NY", "--name", "New York", "--kind", "warehouse"),
        ("items", "add", "TEA", "--name", "Tea", "--tracking", "lot", "--gtin", "09501101530003"),
        ("items", "add", "MUG", "--name", "Mug", "--weight-kg", "0.4"),
        ("items", "add", "CAM", "--name", "Camera", "--tracking", "serial"),
        ("suppliers", "add", "ACME", "--name", "Acme", "--lead-time-days", "3", "--email", "a@acme.example"),
        ("suppliers", "price", "ACME", "TEA", "2.5", "--moq", "10", "--pack-size", "6"),
    ):
        outcome = cli_run(*args)
        assert outcome.exit_code == 0, (args, outcome.stdout, outcome.stderr)


def test_a_purchase_order_is_drafted_placed_and_received_from_the_command_line(cli_run) -> None:
    setup(cli_run)
    created = cli_run("purchase-orders", "create", "--supplier", "ACME", "--to", "NY",
                      "--line", "TEA:12", "--line", "MUG:4:3.10", "--line", "CAM:2:100",
                      "--expected-date", "2027-01-15")
    assert created.exit_code == 0, created.stderr
    assert created.row("Reference")[1] == "PO-000001" and created.row("Expected")[1] == "2027-01-15"
    assert cli_run("purchase-orders", "place", "PO-000001").row("Status")[1] == "ordered"
    assert cli_run("stock", "--sku", "TEA").exit_code == 0

    received = cli_run("purchase-orders", "receive", "PO-000001",
                       "--scan", "(01)09501101530003(10)B1(17)270600(30)12", "--line", "2:4",
                       "--serials", "3:SN-1,SN-2", "--cost", "freight:18:USD::quantity")
    assert received.exit_code == 0, received.stderr
    assert received.row("1", "TEA", "NY", "B1")[4:7] == ["2027-06-30", "12", "2.50"]
    assert received.row("3", "CAM", "NY", "SN-2")[5] == "1"
    assert received.row("freight")[5] == "MUG 4.00, CAM 1.00, CAM 1.00, TEA 12.00"
    assert "(received)" in received.stdout

    shown = cli_run("purchase-orders", "show", "PO-000001")
    assert shown.row("Status")[1] == "received" and shown.row("Receipts")[1] == "GRN-000001"
    assert cli_run("receipts", "add-cost", "GRN-000001", "--cost", "duty:5").exit_code == 0
    assert cli_run("receipts", "show", "GRN-000001").row("duty")[4] == "value"
    scanned = cli_run("scan", "]C10109501101530003<GS>10B1")
    assert scanned.row("SKU")[1] == "TEA" and scanned.row("Lot")[1] == "B1"
    assert cli_run("suppliers", "show", "ACME").row("ACME", "TEA")[3] == "2.50"
    assert cli_run("verify").exit_code == 0


def test_purchasing_errors_exit_with_the_code_of_their_kind_naming_the_field(cli_run) -> None:
    setup(cli_run)
    assert cli_run("purchase-orders", "create", "--supplier", "ACME", "--to", "NY", "--line", "MUG:1").exit_code == (
        exit_code_of(InvalidInput))
    cli_run("purchase-orders", "create", "--supplier", "ACME", "--to", "NY", "--line", "MUG:2:1")
    refused = cli_run("purchase-orders", "receive", "PO-000001", "--line", "1:1")
    assert refused.exit_code == exit_code_of(Conflict) and "place it first" in refused.stderr
    cli_run("purchase-orders", "place", "PO-000001")
    over = cli_run("purchase-orders", "receive", "PO-000001", "--line", "1:3")
    assert over.exit_code == exit_code_of(Conflict)
    assert over.stderr.startswith("error: lines[0].quantity: receiving 3 more of line 1 (MUG)")
    bad_scan = cli_run("scan", "(17)269999")
    assert bad_scan.exit_code == exit_code_of(InvalidInput) and "barcode" in bad_scan.stderr
