"""The CLI's administration: verify, rebuild, API keys, serve, demo, the installed script."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import uvicorn

from onhand import services
from onhand.domain.catalog.commands import CreateItem, CreateLocation
from onhand.domain.errors import Unauthorized
from onhand.domain.ledger.commands import PostAdjustment
from onhand.services.ledger.postings import StockLine
from onhand.services.views import Discrepancy, VerifyReport


def secret_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{services.keys.KEY_PREFIX}_")]


def test_verify_on_a_good_database_exits_zero(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("adjust", "NY", "MUG", "5", "--reason", "found")

    result = cli_run("verify")

    assert result.exit_code == 0, result.stdout
    assert "Checked 1 moves and 2 balances." in result.stdout
    assert "OK: balances match the ledger" in result.stdout


def test_verify_prints_every_problem_and_exits_one_when_the_books_do_not_prove_out(cli_run, monkeypatch):
    wrong = Discrepancy(sku="MUG", location="NY", lot=None, expected=Decimal(5), actual=Decimal(7))
    report = VerifyReport(
        moves_checked=1, balances_checked=2, projection_mismatches=(wrong,),
        conservation_errors=(("MUG", None, Decimal(2)),),
        negative_balances=(Discrepancy("TEA", "LA", "L1", Decimal(0), Decimal(-1)),),
    )
    monkeypatch.setattr(services.integrity, "verify", lambda _ctx: report)

    result = cli_run("verify")

    assert result.exit_code == 1
    assert result.row("MUG", "NY") == ["MUG", "NY", "", "5", "7"]
    assert result.row("MUG", "") == ["MUG", "", "2"]
    assert result.row("TEA") == ["TEA", "LA", "L1", "0", "-1"]
    assert "NOT OK" in result.stdout


def test_rebuild_recomputes_balances_and_reports_ok(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("adjust", "NY", "MUG", "5", "--reason", "found")

    result = cli_run("rebuild")

    assert result.exit_code == 0, result.stdout
    assert "OK: balances match the ledger" in result.stdout
    assert cli_run("stock", "--sku", "MUG").row("MUG") == ["MUG", "5", "0", "5"]


def test_keys_create_prints_the_secret_once_and_list_never_shows_it(cli_run, onhand):
    created = cli_run("keys", "add", "--name", "shopify-sync", "--role", "integration")

    assert created.exit_code == 0, created.stderr
    [secret] = secret_lines(created.stdout)
    assert created.stdout.count(secret) == 1
    assert services.keys.authenticate(onhand, secret).role == "integration"
    listed = cli_run("keys", "list")
    assert listed.row("1")[:3] == ["1", "shopify-sync", "integration"]
    assert secret not in listed.stdout
    assert secret.split("_", 2)[2] not in listed.stdout  # the part after the prefix


def test_keys_revoke_stops_the_key_working(cli_run, onhand):
    [secret] = secret_lines(cli_run("keys", "add", "--name", "old", "--role", "viewer").stdout)

    result = cli_run("keys", "revoke", "1")

    assert result.exit_code == 0, result.stderr
    assert result.row("1")[8] != ""  # Revoked
    with pytest.raises(Unauthorized):
        services.keys.authenticate(onhand, secret)


def test_keys_create_with_an_unknown_role_is_invalid_input(cli_run):
    result = cli_run("keys", "add", "--name", "x", "--role", "god")

    assert result.exit_code == 3
    assert result.stderr == "error: role: 'god' is not one of admin, manager, operator, viewer, integration\n"


def test_keys_revoke_of_an_unknown_id_is_not_found(cli_run):
    result = cli_run("keys", "revoke", "99")

    assert result.exit_code == 4
    assert result.stderr == "error: id: unknown API key '99'\n"


@pytest.fixture
def served(monkeypatch):
    """What `uvicorn.run` was asked to serve (nothing is actually served)."""
    calls: list[tuple[object, str, int]] = []

    def run(app, host, port, **options):
        assert options.get("server_header") is False  # no "server: uvicorn" banner
        calls.append((app, host, port))

    monkeypatch.setattr(uvicorn, "run", run)
    return calls


def test_serve_runs_the_api_app_on_the_given_host_and_port(cli_run, served):
    result = cli_run("serve", "--host", "0.0.0.0", "--port", "8123")

    assert result.exit_code == 0, result.stderr
    [(app, host, port)] = served
    assert (host, port) == ("0.0.0.0", 8123)
    assert app.openapi()["info"]["title"] == "Onhand"


def test_serve_refuses_a_port_out_of_range(cli_run, served):
    result = cli_run("serve", "--port", "70000")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: Invalid value for '--port'")
    assert served == []


def test_demo_loads_the_articles_example_and_prints_a_key(cli_run, onhand):
    result = cli_run("demo", "--no-serve")

    assert result.exit_code == 0, result.stderr
    assert "Loaded demo data for Acme Goods: 9 locations, 10 items" in result.stdout
    assert "http://127.0.0.1:8000/docs" in result.stdout
    assert "/openapi.json" in result.stdout
    [secret] = secret_lines(result.stdout)
    assert services.keys.authenticate(onhand, secret).role == "admin"
    # 20 in New York, 30 in Los Angeles, 50 on the ocean (a supplier shipment to LA): 100
    # on hand, 50 available, and LA sees the 50 incoming on the container's ETA.
    container = services.supplier_shipments.get_supplier_shipment(onhand, "ASN-000001")
    assert (container.transit, container.destination, container.container) == ("OCEAN-1", "LA", "MSCU-4471")
    due = str(container.eta)
    assert cli_run("stock", "--sku", "MUG-12OZ").row("MUG-12OZ") == ["MUG-12OZ", "100", "0", "50", "50", due]
    assert cli_run("stock", "--sku", "MUG-12OZ", "--group-by", "location").rows() == [
        ["MUG-12OZ", "LA", "30", "0", "30", "50", due],
        ["MUG-12OZ", "NY", "20", "0", "20", "0", ""],
        ["MUG-12OZ", "OCEAN-1", "50", "0", "0", "0", ""],
    ]
    assert cli_run("verify").exit_code == 0


def test_demo_data_has_an_expired_lot_a_quarantined_lot_and_a_non_sellable_location(cli_run):
    cli_run("demo", "--no-serve")

    granola = cli_run("stock", "--sku", "GRANOLA-500G", "--group-by", "lot")
    honey = cli_run("stock", "--sku", "HONEY-350G", "--group-by", "balance")
    shirts = cli_run("stock", "--sku", "TEE-BLK-M", "--group-by", "bin")
    company = cli_run("company", "show")

    assert granola.row("GRANOLA-500G", "GR-2401")[3:] == ["12", "0", "0"]  # expired
    assert granola.row("GRANOLA-500G", "GR-2402")[3:] == ["40", "0", "40"]
    assert honey.row("HONEY-350G", "QUARANTINE", "HN-102")[4:7] == ["18", "0", "0"]  # (48 more on order)
    assert cli_run("lots", "list", "HONEY-350G").row("HN-102")[3] == "quarantined"
    assert shirts.row("TEE-BLK-M", "QUARANTINE")[2:] == ["3", "0", "0"]
    assert company.row("Time zone") == ["Time zone", "America/New_York"]
    items = cli_run("items", "list").rows()
    assert len(items) == 10
    assert {row[3] for row in items} == {"none", "lot", "serial"}
    assert "kg" in {row[2] for row in items}
    assert cli_run("locations", "show", "RENO-3PL").row("City") == ["City", "Reno"]


def test_demo_on_a_database_with_items_skips_loading(cli_run, onhand):
    services.items.create_item(onhand, CreateItem(sku="MINE", name="My own item"))

    result = cli_run("demo", "--no-serve")

    assert result.exit_code == 0, result.stderr
    assert "already has items; demo data not loaded" in result.stdout
    assert [item.sku for item in services.items.list_items(onhand)] == ["MINE"]
    assert len(secret_lines(result.stdout)) == 1


def test_demo_serves_the_api_after_loading(cli_run, served):
    result = cli_run("demo", "--port", "8124")

    assert result.exit_code == 0, result.stderr
    assert "http://127.0.0.1:8124/docs" in result.stdout
    [(_app, host, port)] = served
    assert (host, port) == ("127.0.0.1", 8124)


def installed_script() -> str:
    found = shutil.which("onhand") or str(Path(sys.executable).parent / "onhand")
    assert Path(found).exists(), "the onhand console script is not installed"
    return found


def test_the_installed_console_script_verifies_and_shows_stock(database_url, onhand):
    services.locations.create_location(onhand, CreateLocation(code="NY", name="New York", kind="warehouse"))
    services.items.create_item(onhand, CreateItem(sku="MUG", name="Mug"))
    services.adjustments.post_adjustment(
        onhand, PostAdjustment(location="NY", reason="found", lines=[StockLine("MUG", "12")])
    )
    env = {**os.environ, "COLUMNS": "240", "NO_COLOR": "1"}
    env.pop("ONHAND_DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [installed_script(), "--database-url", database_url, *args],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )

    verified = run("verify")
    stock = run("stock", "--sku", "MUG")

    assert verified.returncode == 0, verified.stderr
    assert "OK: balances match the ledger" in verified.stdout
    assert stock.returncode == 0, stock.stderr
    # Not a terminal: tab-separated lines, a header and the rows.
    assert stock.stdout.splitlines() == ["SKU\tOn hand\tReserved\tAvailable", "MUG\t12\t0\t12"]


def test_serve_and_demo_exit_8_when_the_port_is_in_use(cli_run, served):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])

        serve = cli_run("serve", "--port", port)
        demo = cli_run("demo", "--port", port)

    assert (serve.exit_code, demo.exit_code) == (8, 8)
    assert serve.stderr == f"error: --port: 127.0.0.1:{port} is in use by another process; choose another with --port\n"
    assert "Loaded demo data" not in demo.stdout  # refused before any work
    assert served == []
