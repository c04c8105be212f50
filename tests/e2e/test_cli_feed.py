"""`onhand events tail` and `onhand followers run / list` on the command line."""

from __future__ import annotations

import json

from tests.integration.feed.settle import settle


def test_events_tail_prints_one_json_object_per_event_filtered_by_type(cli_run, onhand):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    assert cli_run("adjust", "NY", "MUG", "5", "--reason", "found").exit_code == 0
    settle(onhand)

    result = cli_run("events", "tail")

    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["type"] for e in lines] == ["location.created", "item.created", "posting.written"]
    assert lines[1]["body"]["sku"] == "MUG" and lines[1]["actor"].startswith("cli:")
    after = cli_run("events", "tail", "--after", str(lines[0]["id"]), "--type", "posting.written")
    assert [json.loads(line)["id"] for line in after.stdout.splitlines()] == [lines[2]["id"]]


def test_events_tail_refuses_an_unknown_type(cli_run):
    result = cli_run("events", "tail", "--type", "posting.deleted")
    assert result.exit_code != 0
    assert "type" in result.stderr


def test_followers_run_once_catches_up_and_list_shows_no_lag(cli_run, onhand):
    cli_run("locations", "add", "NY", "--name", "New York", "--kind", "warehouse")
    cli_run("items", "add", "MUG", "--name", "Mug")
    cli_run("adjust", "NY", "MUG", "5", "--reason", "found")
    settle(onhand)
    before = cli_run("followers", "list").row("availability")
    assert before[1:4] == ["0", "0", "3"]

    result = cli_run("followers", "run", "availability", "--once")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "availability: 3 events"
    after = cli_run("followers", "list").row("availability")
    assert after[2:4] == ["3", "0"]


def test_followers_run_refuses_an_unknown_follower(cli_run):
    result = cli_run("followers", "run", "nobody", "--once")
    assert result.exit_code != 0
    assert "nobody" in result.stderr
