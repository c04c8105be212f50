"""`onhand channels sync` / `onhand amazon …` against the SP-API stand-in, credentials from
the environment (never printed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from onhand.entrypoints.cli.amazon import AmazonSender
from onhand.entrypoints.cli.worker import senders
from tests.amazon_stand_in import (
    CLIENT_ID,
    CLIENT_SECRET,
    MARKETPLACE,
    REFRESH,
    SELLER,
    amazon_stand_in,
    item,
    order,
)
from tests.integration.feed.settle import settle

FIXTURES = Path(__file__).parent.parent / "fixtures" / "amazon"


@pytest.fixture
def amazon(monkeypatch):
    with amazon_stand_in() as (url, state):
        for key, value in {"LWA_CLIENT_ID": CLIENT_ID, "LWA_CLIENT_SECRET": CLIENT_SECRET, "REFRESH_TOKEN": REFRESH,
                           "SELLER_ID": SELLER, "MARKETPLACE_ID": MARKETPLACE}.items():
            monkeypatch.setenv(f"ONHAND_CHANNEL_AMZ_US_{key}", value)
        monkeypatch.setenv("ONHAND_AMAZON_LWA_URL", f"{url}/auth/o2/token")
        yield url, state


def _shop(cli_run, url) -> None:
    for args in (("items", "add", "MUG", "--name", "Mug"),
                 ("locations", "add", "NY", "--name", "New York", "--kind", "warehouse"),
                 ("locations", "add", "FBA", "--name", "Amazon FBA", "--kind", "3pl"),
                 ("adjust", "NY", "MUG", "10", "--reason", "found"),
                 ("channels", "add", "amz-us", "--kind", "amazon", "--endpoint", url),
                 ("channels", "map", "amz-us", "--location", "NY", "--to", "DEFAULT"),
                 ("channels", "map", "amz-us", "--location", "FBA", "--to", "AMAZON_NA"),
                 ("channels", "map", "amz-us", "--sku", "MUG")):
        done = cli_run(*args)
        assert done.exit_code == 0, (args, done.stdout, done.stderr)


def test_channels_sync_pulls_orders_and_pushes_quantities(onhand, cli_run, amazon) -> None:
    url, state = amazon
    _shop(cli_run, url)
    now = datetime.now(UTC)  # the CLI reads the real clock
    state.last_updated_before = f"{now - timedelta(minutes=2):%Y-%m-%dT%H:%M:%SZ}"
    state.put_order(order("111-0000001-0000001", "Unshipped", f"{now - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"),
                    [item("MUG", 3, "30.00")])
    done = cli_run("channels", "sync", "amz-us")
    assert done.exit_code == 0, done.stderr
    assert "1 imported" in done.stdout
    settle(onhand)  # PostgreSQL: the reservation's event is visible to the next round
    assert cli_run("amazon", "sync", "amz-us").exit_code == 0
    assert state.quantities == {"MUG": 7}
    for secret in (CLIENT_SECRET, REFRESH):
        assert secret not in done.stdout + done.stderr


def test_fba_sync_and_backfill_from_report_files(cli_run, amazon) -> None:
    url, _state = amazon
    _shop(cli_run, url)
    counted = cli_run("amazon", "fba-sync", "amz-us", str(FIXTURES / "fba_myi_unsuppressed_inventory.tsv"))
    assert counted.exit_code == 0, counted.stderr
    assert "1 move(s)" in counted.stdout and "CUP" in counted.stdout
    filled = cli_run("amazon", "backfill", "amz-us", str(FIXTURES / "flat_file_all_orders.tsv"))
    assert filled.exit_code == 0, filled.stderr
    assert "3 orders" in filled.stdout


def test_missing_credentials_are_named_not_shown(cli_run, amazon, monkeypatch) -> None:
    url, _state = amazon
    _shop(cli_run, url)
    monkeypatch.delenv("ONHAND_CHANNEL_AMZ_US_REFRESH_TOKEN")
    done = cli_run("channels", "sync", "amz-us")
    assert done.exit_code != 0
    assert "ONHAND_CHANNEL_AMZ_US_REFRESH_TOKEN" in done.stdout + done.stderr
    assert CLIENT_SECRET not in done.stdout + done.stderr


def test_the_worker_runs_a_round_over_every_amazon_channel(onhand, cli_run, amazon) -> None:
    url, state = amazon
    _shop(cli_run, url)
    done = cli_run("amazon", "worker", "--once")
    assert done.exit_code == 0, done.stderr
    assert "amz-us; orders: 0 read" in done.stdout
    settle(onhand)
    assert cli_run("amazon", "worker", "--once").exit_code == 0
    assert state.quantities == {"MUG": 10}


def test_the_worker_runs_amazons_round_orders_in_and_quantities_out(onhand, cli_run, amazon) -> None:
    """`onhand worker` (and `serve`'s in-process worker) polls Amazon too: its sender."""
    url, state = amazon
    _shop(cli_run, url)
    now = datetime.now(UTC)
    state.last_updated_before = f"{now - timedelta(minutes=2):%Y-%m-%dT%H:%M:%SZ}"
    state.put_order(order("111-0000001-0000002", "Unshipped", f"{now - timedelta(hours=1):%Y-%m-%dT%H:%M:%SZ}"),
                    [item("MUG", 4, "30.00")])
    amazon_round = senders()["amazon"].send
    assert amazon_round(onhand) >= 1  # the order imported (and quantities queued or sent)
    assert amazon_round(onhand) == 0  # not again within its interval
    settle(onhand)
    AmazonSender(interval=0)(onhand)  # a later round sends what the reservation changed
    assert state.quantities == {"MUG": 6}
