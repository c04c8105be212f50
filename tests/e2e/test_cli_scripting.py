"""The CLI in scripts: fast help, --version, -h, plain output in pipes, --json and --csv."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import typer

from onhand import services
from onhand.entrypoints.cli.main import COMMANDS, OnhandCli, app
from tests.e2e.conftest import CLI_ENV

# What prints no data to read, so takes neither --json nor --csv: servers and workers
# (OnhandCli.without_data), and commands choosing their own format with --format.
OWN_FORMAT = {"onhand journal export", "onhand trace forward", "onhand trace backward", "onhand recalls report"}


def leaves(command, path="onhand"):
    """Every runnable command under `command` with its path, loading every group."""
    commands = getattr(command, "commands", None)
    if commands is None:
        yield path, command
        return
    for name in command.list_commands(None):
        yield from leaves(command.get_command(None, name), f"{path} {name}")


def test_help_imports_neither_the_database_nor_the_web_stack():
    probe = (
        "import sys\n"
        "from onhand.entrypoints.cli.main import run\n"
        "sys.argv = ['onhand', '--help']\n"
        "try:\n    run()\n"
        "except SystemExit as done:\n    assert done.code == 0, done.code\n"
        "heavy = [name for name in ('sqlalchemy', 'fastapi', 'starlette', 'onhand.services', 'onhand.bootstrap')\n"
        "         if name in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout
    assert "purchase-orders" in result.stdout and "Commands" in result.stdout


def test_each_command_is_listed_with_the_first_line_of_its_own_help():
    root = typer.main.get_command(app)

    for name, lazy in COMMANDS.items():
        loaded = root.get_command(None, name)
        assert (loaded.help or "").strip().splitlines()[0] == lazy.help, name
        assert loaded.hidden == lazy.hidden


def test_every_command_that_prints_data_takes_json_and_csv():
    without = OnhandCli.without_data | OWN_FORMAT
    missing = [
        path for path, command in leaves(typer.main.get_command(app))
        if path not in without
        and not {"--json", "--csv"} <= {opt for param in command.params for opt in getattr(param, "opts", ())}
    ]

    assert missing == []


def test_version_and_short_help(cli_runner):
    version = cli_runner.run(["--version"], env=CLI_ENV)
    short = cli_runner.run(["items", "list", "-h"], env=CLI_ENV)

    assert version.exit_code == 0
    assert version.stdout.startswith("onhand ")
    assert short.exit_code == 0
    assert "--search" in short.stdout and "--json" in short.stdout


def test_a_listing_prints_as_json_csv_or_plain_lines_in_a_pipe(cli_run, cli_runner, database_url):
    cli_run("items", "add", "MUG", "--name", "Mug, 12 oz")
    cli_run("items", "add", "RICE", "--name", "Basmati rice", "--unit", "kg")

    as_json = cli_run("items", "list", "--json")
    as_csv = cli_run("items", "list", "--csv")
    shown = cli_run("items", "show", "MUG", "--json")
    piped = cli_runner.run(["--database-url", database_url, "items", "list"],
                           env={**CLI_ENV, "TTY_COMPATIBLE": None, "TERM": None})
    both = cli_run("items", "list", "--json", "--csv")

    assert json.loads(as_json.stdout) == [
        {"sku": "MUG", "name": "Mug, 12 oz", "unit": "each", "tracking": "none", "gtin": None, "shelf_life": None},
        {"sku": "RICE", "name": "Basmati rice", "unit": "kg", "tracking": "none", "gtin": None, "shelf_life": None},
    ]
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["SKU", "Name", "Unit", "Tracking", "GTIN", "Shelf life"],
        ["MUG", "Mug, 12 oz", "each", "none", "", ""],
        ["RICE", "Basmati rice", "kg", "none", "", ""],
    ]
    assert json.loads(shown.stdout)["sku"] == "MUG"
    assert piped.stdout.splitlines() == [
        "SKU\tName\tUnit\tTracking\tGTIN\tShelf life",
        "MUG\tMug, 12 oz\teach\tnone\t\t",
        "RICE\tBasmati rice\tkg\tnone\t\t",
    ]
    assert both.exit_code == 2


def test_under_json_messages_go_to_stderr_and_stdout_is_only_the_data(cli_run):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")

    result = cli_run("adjust", "NY", "MUG", "5", "--reason", "found", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"sku": "MUG", "lot": None, "from": "ADJUSTMENT", "to": "NY", "quantity": "5"}]
    assert result.stderr.startswith("Posting #")


def test_records_are_added_with_add_and_the_old_create_still_works_unlisted(cli_run):
    added = cli_run("suppliers", "add", "ACME", "--name", "Acme Tea")
    created = cli_run("suppliers", "create", "LEAF", "--name", "Leaf & Co")
    key = cli_run("keys", "add", "--name", "sync", "--role", "viewer")
    listed = cli_run("suppliers", "--help")

    assert (added.exit_code, created.exit_code, key.exit_code) == (0, 0, 0), added.stderr + created.stderr
    assert [row[0] for row in cli_run("suppliers", "list").rows()] == ["ACME", "LEAF"]
    assert " add " in listed.stdout and " create " not in listed.stdout


def test_a_new_key_under_json_is_the_key_and_its_secret(cli_run, onhand):
    result = cli_run("keys", "add", "--name", "sync", "--role", "viewer", "--json")

    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert (created["name"], created["role"]) == ("sync", "viewer")
    assert services.keys.authenticate(onhand, created["secret"]).role == "viewer"


def test_a_document_of_several_tables_is_one_json_object_with_fixed_keys(cli_run):
    cli_run("items", "add", "MUG", "--name", "Mug")

    created = cli_run("orders", "create", "--line", "MUG:2", "--json")

    order = json.loads(created.stdout)
    assert list(order) == ["order", "lines"]
    assert order["order"]["reference"] == "SO-000001"
    assert [(line["sku"], line["ordered"]) for line in order["lines"]] == [("MUG", "2")]
