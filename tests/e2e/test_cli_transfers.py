"""`onhand transfers`: a transfer from the command line, from creation to receipt and a
write-off; `onhand stock` shows what is on its way; refused commands change nothing."""

from __future__ import annotations

import pytest

from onhand import services
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.ledger.commands import PostAdjustment


@pytest.fixture
def sites(onhand, cli_run):
    """NY with bin NY-A1, LA with bin LA-DOCK, OCEAN-1 (transit); MUG 20 at NY-A1."""
    for args in (
        ("NY", "--name", "New York", "--kind", "warehouse"),
        ("NY-A1", "--name", "Aisle A1", "--kind", "bin", "--parent", "NY"),
        ("LA", "--name", "Los Angeles", "--kind", "store"),
        ("LA-DOCK", "--name", "Dock", "--kind", "bin", "--parent", "LA"),
        ("OCEAN-1", "--name", "On the ocean", "--kind", "transit"),
    ):
        assert cli_run("locations", "add", *args).exit_code == 0
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY-A1", reason="found", lines=[services.postings.StockLine("MUG", "20")])
    )
    return cli_run


def test_a_transfer_from_the_command_line(sites):
    created = sites("transfers", "create", "NY", "LA", "--line", "MUG:12", "--expected", "2026-05-01",
                    "--carrier", "Maersk", "--tracking", "MSCU-1")
    assert created.exit_code == 0, created.stderr
    assert created.row("Reference") == ["Reference", "TO-000001"]
    assert created.row("Through") == ["Through", "OCEAN-1"]

    shipped = sites("transfers", "ship", "TO-000001", "--line", "1:10")
    assert shipped.exit_code == 0, shipped.stderr
    assert shipped.row("1", "MUG")[3:] == ["12", "10", "0", "0", "10", "2"]
    assert sites("stock", "--sku", "MUG", "--location", "LA").row("MUG") == ["MUG", "0", "0", "0", "10", "2026-05-01"]

    received = sites("transfers", "receive", "TO-000001", "--line", "1:9", "--to", "LA-DOCK")
    assert received.exit_code == 0, received.stderr
    assert received.row("Status") == ["Status", "partially_received"]
    lost = sites("transfers", "write-off", "TO-000001", "--note", "dropped")
    assert lost.row("1", "MUG")[3:] == ["12", "10", "9", "1", "0", "2"]
    closed = sites("transfers", "close", "TO-000001")
    assert closed.row("Status") == ["Status", "closed"]
    assert sites("transfers", "list", "--status", "closed").row("TO-000001")[1] == "closed"
    assert sites("verify").exit_code == 0


def test_receiving_more_than_shipped_exits_5_naming_the_field(sites, onhand):
    sites("transfers", "create", "NY", "LA", "--line", "MUG:5")
    sites("transfers", "ship", "TO-000001")
    moves = services.integrity.verify(onhand).moves_checked

    refused = sites("transfers", "receive", "TO-000001", "--line", "1:6")

    assert refused.exit_code == 5
    assert refused.stderr.startswith("error: lines[0].quantity: 6 is more than the 5")
    assert services.integrity.verify(onhand).moves_checked == moves


def test_a_malformed_line_is_a_usage_error(sites):
    refused = sites("transfers", "ship", "TO-000001", "--line", "MUG:1")
    assert refused.exit_code == 2


def test_routes_from_the_command_line(sites):
    assert sites("locations", "add", "TRUCK-1", "--name", "Truck", "--kind", "transit").exit_code == 0
    assert sites("transfers", "route", "NY", "LA", "TRUCK-1", "--lead-time", "3").exit_code == 0
    assert sites("transfers", "routes").row("NY") == ["NY", "LA", "TRUCK-1", "3"]
    made = sites("transfers", "create", "NY", "LA", "--line", "MUG:1")
    assert made.row("Through") == ["Through", "TRUCK-1"]
