"""`onhand audit` and the keys' life on the command line: the CLI acts as its OS user."""

from __future__ import annotations

import getpass

from sqlalchemy import text

from onhand import services
from onhand.domain.actors import cli_actor


def me() -> str:
    return cli_actor(getpass.getuser()).reference


def test_the_cli_acts_as_the_os_user_in_postings_and_the_audit_log(cli_run, onhand):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    assert cli_run("adjust", "NY", "MUG", "5", "--reason", "found").exit_code == 0
    with onhand.engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM postings")).scalars().all() == [me()]

    result = cli_run("audit")

    assert result.exit_code == 0, result.stderr
    rows = result.rows()
    assert [row[3] for row in rows] == ["post_adjustment", "create_item", "create_location"]
    assert {row[2].split(" ")[0] for row in rows} == {me()}
    assert rows[1][4] == "item MUG" and 'sku="MUG"' in rows[1][5]


def test_audit_filters_and_pages(cli_run):
    for sku in ("A", "B", "C"):
        cli_run("items", "add", sku, "--name", sku)
    cli_run("items", "update", "B", "--name", "Bee")

    changed = cli_run("audit", "--object-type", "item", "--object-key", "B")
    assert [row[3] for row in changed.rows()] == ["update_item", "create_item"]
    assert 'name: "B" → "Bee"' in changed.rows()[0][5]
    first = cli_run("audit", "--limit", "2")
    assert [row[4] for row in first.rows()] == ["item B", "item C"]
    older = first.stdout.split("--before ")[1].split()[0]
    assert [row[4] for row in cli_run("audit", "--limit", "2", "--before", older).rows()] == ["item B", "item A"]
    assert cli_run("audit", "--actor", "system").rows() == []


def test_audit_with_a_bad_filter_names_it(cli_run):
    result = cli_run("audit", "--since", "yesterday")
    assert (result.exit_code, result.stderr.split(":")[1].strip()) == (3, "since")


def test_keys_rotate_prints_the_new_secret_once_and_the_old_one_keeps_working_for_the_overlap(cli_run, onhand):
    created = cli_run("keys", "add", "--name", "shop", "--role", "integration")
    (old,) = [line for line in created.stdout.splitlines() if line.startswith("onh_")]

    rotated = cli_run("keys", "rotate", "1", "--overlap-hours", "1")

    assert rotated.exit_code == 0, rotated.stderr
    (new,) = [line for line in rotated.stdout.splitlines() if line.startswith("onh_")]
    assert new != old and "The previous secret works until" in rotated.stdout
    assert services.keys.authenticate(onhand, old).id == services.keys.authenticate(onhand, new).id == 1


def test_keys_update_refuses_to_demote_the_last_admin_key(cli_run):
    cli_run("keys", "add", "--name", "root", "--role", "admin")

    refused = cli_run("keys", "update", "1", "--role", "viewer")
    assert refused.exit_code == 5
    assert refused.stderr.startswith("error: id: API key 1 is the last active admin key")

    cli_run("keys", "add", "--name", "second", "--role", "admin")
    changed = cli_run("keys", "update", "1", "--role", "viewer", "--name", "looker")
    assert changed.row("1")[:3] == ["1", "looker", "viewer"]


def test_keys_create_takes_an_expiry(cli_run):
    created = cli_run("keys", "add", "--name", "temp", "--role", "viewer", "--expires-at", "2099-04-01T00:00:00Z")
    assert created.exit_code == 0, created.stderr
    assert cli_run("keys", "list").row("1")[5].startswith("2099-04-01 00:00:00")
    past = cli_run("keys", "add", "--name", "old", "--role", "viewer", "--expires-at", "2001-01-01T00:00:00Z")
    assert (past.exit_code, past.stderr) == (3, "error: expires_at: must be in the future\n")
